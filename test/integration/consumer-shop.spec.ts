import { execFileSync } from "child_process"
import fs from "fs"
import os from "os"
import path from "path"
import { Client } from "pg"

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { ensureDatabase, dropDatabase, withDatabase } = require("../../scripts/lib/postgres")
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { MEDUSA_BIN, medusaEnv, ROOT } = require("../../scripts/lib/medusa")

const PLUGIN_TABLES = [
  "interest_event",
  "interest_impression",
  "interest_profile",
  "interest_segment",
  "interest_segment_member",
  "interest_model_version",
  "interest_training_run",
  "interest_recommendation",
  "interest_opt_out",
  "interest_product_card",
  "interest_visitor_link",
]

/** One revert undoes one migration (the newest): as many as the plugin has undo them all. */
const PLUGIN_MIGRATIONS = fs.readdirSync(path.join(__dirname, "..", "..", "migrations")).filter((f) => f.endsWith(".ts")).length

/**
 * A merchant's shop that installs the plugin by path with options, the way the
 * README says: its `medusa migrations run` creates the plugin's tables and
 * `medusa migrations revert` removes them again.
 */
describe("installing the plugin into a consumer shop", () => {
  const state = JSON.parse(fs.readFileSync(process.env.INTEREST_IT_STATE as string, "utf8"))
  const database = `${state.database}_consumer`
  const databaseUrl = withDatabase(state.serverUrl, database)
  const shop = fs.mkdtempSync(path.join(os.tmpdir(), "consumer-shop-"))

  beforeAll(async () => {
    await ensureDatabase(state.serverUrl, database)
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(shop, "node_modules"))
    fs.writeFileSync(path.join(shop, "package.json"), JSON.stringify({ name: "consumer-shop", private: true }))
    fs.writeFileSync(
      path.join(shop, "medusa-config.js"),
      `module.exports = {
        projectConfig: { database_url: ${JSON.stringify(databaseUrl)}, database_type: "postgres" },
        plugins: [{ resolve: ${JSON.stringify(ROOT)}, options: { period: "month", kRange: { min: 2, max: 6 } } }],
        modules: { eventBus: { resolve: "@medusajs/event-bus-local" }, cacheService: { resolve: "@medusajs/cache-inmemory" } },
      }`
    )
  })

  afterAll(async () => {
    fs.rmSync(shop, { recursive: true, force: true })
    await dropDatabase(state.serverUrl, database)
  })

  const medusa = (...args: string[]): string =>
    execFileSync(MEDUSA_BIN, args, { cwd: shop, env: medusaEnv({}), encoding: "utf8", stdio: "pipe" })

  const tables = async (): Promise<string[]> => {
    const client = new Client({ connectionString: databaseUrl })
    await client.connect()
    try {
      const { rows } = await client.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'interest\\_%' ORDER BY table_name`
      )
      return rows.map((r) => r.table_name)
    } finally {
      await client.end()
    }
  }

  it("runs and reverts the plugin's migrations", async () => {
    medusa("migrations", "run")
    expect(await tables()).toEqual([...PLUGIN_TABLES].sort())

    medusa("migrations", "revert")
    // The newest migration added the visitor links.
    expect(await tables()).not.toContain("interest_visitor_link")
    for (let i = 1; i < PLUGIN_MIGRATIONS; i++) medusa("migrations", "revert")
    expect(await tables()).toEqual([])

    // and runs again cleanly after the revert
    medusa("migrations", "run")
    expect(await tables()).toEqual([...PLUGIN_TABLES].sort())
  })
})
