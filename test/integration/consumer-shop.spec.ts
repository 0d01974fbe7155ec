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
  "interest_experiment",
]

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

  const heartbeatColumn = async (): Promise<number> => {
    const client = new Client({ connectionString: databaseUrl })
    await client.connect()
    try {
      const { rows } = await client.query(
        `SELECT 1 FROM information_schema.columns WHERE table_name = 'interest_training_run' AND column_name = 'heartbeat_at'`
      )
      return rows.length
    } finally {
      await client.end()
    }
  }

  it("runs and reverts the plugin's migrations", async () => {
    medusa("migrations", "run")
    expect(await tables()).toEqual([...PLUGIN_TABLES].sort())
    expect(await heartbeatColumn()).toBe(1)

    // `revert` undoes the last migration run: the plugin's run last (newest timestamps), one revert each.
    const pluginMigrations = fs.readdirSync(path.join(ROOT, "migrations")).filter((f) => /^\d+-.+\.js$/.test(f))
    expect(pluginMigrations.length).toBeGreaterThanOrEqual(2)
    for (let i = 0; i < pluginMigrations.length; i++) medusa("migrations", "revert")
    expect(await tables()).toEqual([])

    // and runs again cleanly after the revert
    medusa("migrations", "run")
    expect(await tables()).toEqual([...PLUGIN_TABLES].sort())
    expect(await heartbeatColumn()).toBe(1)
  })
})
