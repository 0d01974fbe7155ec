// @ts-check
// What the load benches (serve, ingest, stall) share besides the throw-away shop
// (./shop.js): numeric flags, the results file, bounded autocannon runs, the
// demo shop's facts (region, busiest shopper, busiest product, event count) and
// a training run through the admin API.
const fs = require("fs")
const os = require("os")
const path = require("path")
const autocannon = require("autocannon")
const { Client } = require("pg")
const S = require("./shop")

/** `--name <number>` from argv. @param {string} name @param {number} fallback */
function numberFlag(name, fallback) {
  const value = Number(S.flag(name, String(fallback)))
  if (!Number.isFinite(value)) throw new Error(`--${name} must be a number`)
  return value
}

/** `--out <file>`, by default bench/results/<name>.json. @param {string} name */
function resultsPath(name) {
  return /** @type {string} */ (S.flag("out", path.join(S.ROOT, "bench", "results", `${name}.json`)))
}

/**
 * Writes a bench's results as indented JSON and logs where.
 * @param {string} file @param {{ total_seconds?: number }} out @param {(m: string) => void} log
 */
function writeResults(file, out, log) {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, JSON.stringify(out, null, 2) + "\n")
  log(`wrote ${path.relative(S.ROOT, file)} (total ${out.total_seconds} s)`)
}

/** The machine a bench ran on (its cores are shared: the load average tells how busy). */
function machine() {
  return { loadavg_end: os.loadavg().map((x) => Math.round(x * 100) / 100), cores: os.cpus().length, node: process.version }
}

/**
 * One autocannon run for `seconds` (or until stop()), bounded in count too, and
 * stopped by a guard if autocannon overruns. `rate` fixes the overall request rate.
 * @param {{ url: string, headers?: Record<string, string>, connections: number, seconds: number, rate?: number }} o
 * @return {{ done: Promise<any>, stop: () => void }}
 */
function cannon({ url, headers = {}, connections, seconds, rate }) {
  /** @type {any} */
  let instance
  const done = new Promise((resolve, reject) => {
    instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        maxOverallRequests: seconds * 20000,
        ...(rate ? { overallRate: rate } : {}),
        headers,
        timeout: 10,
      },
      (/** @type {Error | null} */ err, /** @type {any} */ result) => (err ? reject(err) : resolve(result))
    )
    const guard = setTimeout(() => instance.stop(), (seconds + 15) * 1000)
    instance.on("done", () => clearTimeout(guard))
  })
  return { done, stop: () => instance.stop() }
}

/**
 * What the benches look up in a seeded demo shop's database.
 * @param {string} databaseUrl @param {(m: string) => void} log
 * @return {Promise<{ regionId: string, email: string, productId: string, eventCount: number }>}
 */
async function shopFacts(databaseUrl, log) {
  const db = new Client({ connectionString: databaseUrl })
  db.on("error", (e) => log(`Postgres client: ${e.message}`))
  await db.connect()
  try {
    const regionId = (await db.query(`SELECT id FROM region WHERE deleted_at IS NULL ORDER BY created_at LIMIT 1`)).rows[0]?.id
    const email = (
      await db.query(
        `SELECT c.email, count(*)::int AS n FROM interest_event e JOIN customer c ON c.id = e.customer_id
         WHERE c.has_account GROUP BY c.email ORDER BY n DESC, c.email LIMIT 1`
      )
    ).rows[0]?.email
    const productId = (
      await db.query(`SELECT product_id FROM interest_event GROUP BY product_id ORDER BY count(*) DESC, product_id LIMIT 1`)
    ).rows[0]?.product_id
    const eventCount = (await db.query(`SELECT count(*)::int AS n FROM interest_event`)).rows[0].n
    if (!regionId || !email || !productId) throw new Error("the demo seed left no region, shopper or product")
    return { regionId, email, productId, eventCount }
  } finally {
    await db.end()
  }
}

/** A bearer header of the demo admin. @param {string} base */
async function adminAuth(base) {
  const admin = await S.http(base, "POST", "/admin/auth/token", { email: S.ADMIN_EMAIL, password: S.ADMIN_PASSWORD })
  return { authorization: `Bearer ${admin.access_token}` }
}

/**
 * Starts a training run (POST /admin/interest/models/train) and polls it until
 * it finished; throws if it failed or overran `timeoutMs`.
 * @param {string} base @param {Record<string, string>} auth
 * @param {{ pollMs?: number, timeoutMs?: number, onPoll?: (run: any) => void }=} o
 * @return {Promise<{ run: any, t0: number, t1: number }>}
 */
async function trainModel(base, auth, { pollMs = 1000, timeoutMs = 600000, onPoll = () => undefined } = {}) {
  const t0 = Date.now()
  const { run: first } = await S.http(base, "POST", "/admin/interest/models/train", undefined, auth)
  let run = first
  while (run.status === "running") {
    if (Date.now() - t0 > timeoutMs) throw new Error(`training did not finish within ${Math.round(timeoutMs / 1000)} s`)
    await S.sleep(pollMs)
    run = (await S.http(base, "GET", `/admin/interest/runs/${first.id}`, undefined, auth)).run
    onPoll(run)
  }
  if (run.status !== "succeeded") throw new Error(`training failed: ${run.error}`)
  return { run, t0, t1: Date.now() }
}

module.exports = { numberFlag, resultsPath, writeResults, machine, cannon, shopFacts, adminAuth, trainModel }
