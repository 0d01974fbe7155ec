// `require("medusa-plugin-interest/client/react")`: the React hook (needs react).
module.exports = require("../dist/client/react")
