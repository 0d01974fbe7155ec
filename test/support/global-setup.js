// Boots Postgres and one Medusa for the whole integration run (every test file
// shares them). Postgres: DATABASE_URL's server when given, else an embedded one
// on a free port. A fresh database per run, so runs never see each other's rows.
const fs = require("fs")
const os = require("os")
const path = require("path")
const { freePort, startEmbeddedPostgres, ensureDatabase, withDatabase } = require("../../scripts/lib/postgres")
const { runMedusa, startMedusa, ROOT } = require("../../scripts/lib/medusa")
const { writeTestSeed } = require("./test-seed")

const STATE_FILE = path.join(os.tmpdir(), `medusa-interest-it-${process.pid}.json`)

/** Ids Medusa gave the seeded region and publishable key. */
async function seededIds(databaseUrl) {
  const { Client } = require("pg")
  const client = new Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const region = await client.query(`SELECT id FROM region WHERE deleted_at IS NULL ORDER BY created_at LIMIT 1`)
    const key = await client.query(`SELECT id FROM publishable_api_key WHERE revoked_at IS NULL ORDER BY created_at LIMIT 1`)
    return { regionId: region.rows[0]?.id, publishableKey: key.rows[0]?.id }
  } finally {
    await client.end()
  }
}

module.exports = async function globalSetup() {
  const started = Date.now()
  if (!fs.existsSync(path.join(ROOT, "dist", "services", "interest-event.js"))) {
    throw new Error("dist/ is missing: run `npm run build` first (`npm test` does).")
  }
  const database = `interest_it_${process.pid}_${Date.now().toString(36)}`
  let embedded = null
  let serverUrl = process.env.DATABASE_URL
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres({
      name: `medusa-interest-it-${process.pid}`,
      port: await freePort(),
      persistent: false,
    })
    serverUrl = embedded.url("postgres")
  }
  await ensureDatabase(serverUrl, database)
  const databaseUrl = withDatabase(serverUrl, database)
  const env = { DATABASE_URL: databaseUrl }
  if (process.env.REDIS_URL) {
    env.REDIS_URL = process.env.REDIS_URL
    // A queue of this run's own: a Medusa left over from another run on the same Redis would otherwise take its events.
    env.REDIS_QUEUE_PREFIX = database
  }

  await runMedusa(["migrations", "run"], { env })
  const seed = writeTestSeed(path.join(os.tmpdir(), `medusa-interest-it-seed-${process.pid}.json`))
  await runMedusa(["seed", "-f", seed.file], { env })

  Object.assign(seed.summary, await seededIds(databaseUrl))

  const port = await freePort()
  const logFile = path.join(os.tmpdir(), `medusa-interest-it-${process.pid}.log`)
  const medusa = await startMedusa({ port, env, logFile })

  globalThis.__INTEREST_IT__ = { embedded, medusa, serverUrl, database }
  const state = {
    baseUrl: medusa.url,
    databaseUrl,
    serverUrl,
    database,
    /** The environment the shop was started with: a second instance of the same shop needs the same. */
    shopEnv: env,
    logFile,
    redis: !!process.env.REDIS_URL,
    seed: seed.summary,
  }
  fs.writeFileSync(STATE_FILE, JSON.stringify(state))
  process.env.INTEREST_IT_STATE = STATE_FILE
  // eslint-disable-next-line no-console
  console.log(
    `\n[integration] Medusa ${medusa.url} on ${embedded ? "embedded Postgres" : "DATABASE_URL"}` +
      `${state.redis ? " + Redis event bus" : " + local event bus"}, ready in ${Date.now() - started} ms (log: ${logFile})`
  )
}
