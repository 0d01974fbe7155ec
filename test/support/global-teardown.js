const fs = require("fs")
const { dropDatabase } = require("../../scripts/lib/postgres")

module.exports = async function globalTeardown() {
  const it = globalThis.__INTEREST_IT__
  if (!it) return
  await it.medusa.stop()
  if (it.embedded) {
    await it.embedded.stop()
  } else {
    await dropDatabase(it.serverUrl, it.database).catch(() => undefined)
  }
  if (process.env.INTEREST_IT_STATE) fs.rmSync(process.env.INTEREST_IT_STATE, { force: true })
}
