// The browser tests' shop: the integration setup (Postgres, the test catalogue,
// one `medusa start`) with the demo storefront switched on, plus shoppers and
// a trained model (browser-shop.js), plus the admin UI build when the project
// has one. Writes what it prepared into the shared state file.
const fs = require("fs")
const path = require("path")
const integrationSetup = require("./global-setup")
const integrationTeardown = require("./global-teardown")
const { prepareBrowserShop } = require("./browser-shop")
const { ROOT } = require("../../scripts/lib/medusa")

module.exports = async function browserGlobalSetup() {
  // Read by medusa-config.js in the Medusa child process global-setup starts.
  process.env.INTEREST_DEMO_STOREFRONT = "1"
  const adminLib = path.join(ROOT, "scripts", "lib", "admin.js")
  if (fs.existsSync(adminLib)) {
    // Before Medusa starts: it serves the admin build it finds at boot.
    await require(adminLib).ensureAdminBuild()
  }
  await integrationSetup()
  const stateFile = process.env.INTEREST_IT_STATE
  const state = JSON.parse(fs.readFileSync(stateFile, "utf8"))
  const started = Date.now()
  try {
    state.browser = await prepareBrowserShop({ baseUrl: state.baseUrl, databaseUrl: state.databaseUrl })
  } catch (e) {
    // Jest runs no teardown when setup fails: stop Medusa and Postgres here.
    await integrationTeardown()
    throw e
  }
  fs.writeFileSync(stateFile, JSON.stringify(state))
  // eslint-disable-next-line no-console
  console.log(
    `[browser] ${state.browser.customers} shoppers, ${state.browser.events} events, model ${state.browser.run.model_version_id} trained in ${Date.now() - started} ms`
  )
}
