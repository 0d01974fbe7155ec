// `require("medusa-plugin-interest/client")`: the storefront client. The package
// has no "exports" map (Medusa resolves plugins by path), hence this shim.
module.exports = require("./dist/client")
