import fs from "fs"
import os from "os"
import path from "path"
import { Client } from "pg"
import { Started, startProcess, waitForHttp, waitForLogLine } from "./processes"

/* eslint-disable @typescript-eslint/no-var-requires */
const { ensureDatabase, withDatabase, dropDatabase } = require("../../../scripts/lib/postgres")
const { runMedusa, medusaEnv, MEDUSA_BIN, ROOT } = require("../../../scripts/lib/medusa")
const { writeTestSeed } = require("../../support/test-seed")
const { prepareBrowserShop } = require("../../support/browser-shop")
/* eslint-enable @typescript-eslint/no-var-requires */

export interface SeededShop {
  databaseUrl: string
  regionId: string
  publishableKey: string
  /** Stops what was started so far (Postgres, and Medusa once started). */
  stop(): Promise<void>
}

export interface RunningShop extends SeededShop {
  url: string
  logFile: string
}

/**
 * The browser tests' shop (the integration catalogue, 60 simulated shoppers
 * with three months of history, a model trained through the admin route), on
 * a Postgres of its own, in two steps so a storefront can be built between
 * them: `seed()` leaves a migrated, seeded database whose publishable key is
 * known; `start()` boots Medusa on it and trains.
 */
export async function seedShop(log: (m: string) => void): Promise<SeededShop> {
  if (!fs.existsSync(path.join(ROOT, "dist", "services", "interest-event.js"))) {
    throw new Error("dist/ is missing: run `npm run build` first.")
  }
  const name = `medusa-interest-e2e-next-${process.pid}`
  let embedded: Started | null = null
  let serverUrl: string = process.env.DATABASE_URL ?? ""
  if (!serverUrl) {
    const logFile = path.join(os.tmpdir(), `${name}-postgres.log`)
    const pg = startProcess(process.execPath, [path.join(__dirname, "postgres-server.js"), name], { logFile })
    embedded = pg
    serverUrl = (await waitForLogLine(logFile, /^postgres ready (\S+)$/m, 60_000, () => pg.child.exitCode === null))[1]
  }
  const database = `interest_e2e_next_${process.pid}`
  const stop = async (): Promise<void> => {
    if (embedded) await embedded.stop(20_000)
    else await dropDatabase(serverUrl, database).catch(() => undefined)
  }
  try {
    await ensureDatabase(serverUrl, database)
    const databaseUrl = withDatabase(serverUrl, database)
    await runMedusa(["migrations", "run"], { env: { DATABASE_URL: databaseUrl } })
    const seed = writeTestSeed(path.join(os.tmpdir(), `${name}-seed.json`))
    await runMedusa(["seed", "-f", seed.file], { env: { DATABASE_URL: databaseUrl } })
    fs.rmSync(seed.file, { force: true })
    log("shop database migrated and seeded")
    return { databaseUrl, ...(await seededIds(databaseUrl)), stop }
  } catch (e) {
    await stop()
    throw e
  }
}

/** Boots Medusa on the seeded database, for a storefront at `storeCors`, and trains the first model. */
export async function startShop(
  seeded: SeededShop,
  o: { port: number; storeCors: string; log: (m: string) => void }
): Promise<RunningShop> {
  const logFile = path.join(os.tmpdir(), `medusa-interest-e2e-next-${process.pid}-medusa.log`)
  const medusa = startProcess(MEDUSA_BIN, ["start", "-p", String(o.port)], {
    cwd: ROOT,
    logFile,
    env: medusaEnv({
      PORT: String(o.port),
      DATABASE_URL: seeded.databaseUrl,
      STORE_CORS: o.storeCors,
      // The storefront's server forwards the shopper's address (x-forwarded-for).
      INTEREST_TRUSTED_PROXIES: "loopback",
    }),
  })
  const stop = async (): Promise<void> => {
    await medusa.stop()
    await seeded.stop()
  }
  try {
    const url = `http://127.0.0.1:${o.port}`
    await waitForHttp(`${url}/health`, 120_000, () => medusa.child.exitCode === null)
    const prepared = await prepareBrowserShop({ baseUrl: url, databaseUrl: seeded.databaseUrl })
    o.log(`shop up at ${url}: ${prepared.customers} shoppers, ${prepared.events} events, model ${prepared.run.model_version_id}`)
    return { ...seeded, url, logFile, stop }
  } catch (e) {
    await stop()
    throw e
  }
}

async function seededIds(databaseUrl: string): Promise<{ regionId: string; publishableKey: string }> {
  const client = new Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const region = await client.query(`SELECT id FROM region WHERE deleted_at IS NULL ORDER BY created_at LIMIT 1`)
    const key = await client.query(`SELECT id FROM publishable_api_key WHERE revoked_at IS NULL ORDER BY created_at LIMIT 1`)
    if (!region.rows[0] || !key.rows[0]) throw new Error("the seed made no region or no publishable key")
    return { regionId: region.rows[0].id, publishableKey: key.rows[0].id }
  } finally {
    await client.end()
  }
}

/** Rows of the shop's database, to check what the storefront's requests stored. */
export async function query<T>(databaseUrl: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    return (await client.query(text, params)).rows as T[]
  } finally {
    await client.end()
  }
}
