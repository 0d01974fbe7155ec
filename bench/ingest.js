// @ts-check
/**
 * Ingest benchmark: sustained POST /store/interest/events (batches of 1 and of
 * 50, a unique client_event_id per event, a pool of visitor ids, real product
 * ids) with autocannon on loopback; counts the accepted events from the 202
 * bodies, waits (bounded) until the rows stored in interest_event for the run's
 * client_event_id prefix stop growing, and reports accepted/s, accepted,
 * stored, lost and duplicated per configuration:
 *   local          Medusa's local event bus (always)
 *   redis          Redis event bus (REDIS_URL set, or --start-redis)
 *   server+worker  MEDUSA_WORKER_MODE=server and =worker, sharing Postgres and
 *                  Redis; the load goes to the server (needs Redis too)
 *
 *   npm run bench:ingest -- [--seconds 60] [--drain-seconds 60] [--connections 10]
 *                           [--start-redis] [--configs local,redis,server+worker]
 *                           [--batches 1,50] [--ping-seconds 10] [--limit-seconds 360]
 *
 * Writes bench/results/ingest.json.
 */
const os = require("os")
const autocannon = require("autocannon")
const { Client } = require("pg")
const S = require("./lib/shop")
const B = require("./lib/bench")

const log = S.makeLog("bench:ingest")
const LIMIT_SECONDS = B.numberFlag("limit-seconds", 360)
const CONNECTIONS = B.numberFlag("connections", 10)
const START_REDIS = S.hasFlag("start-redis")
const WITH_REDIS = !!process.env.REDIS_URL || START_REDIS
const ALL_CONFIGS = WITH_REDIS ? ["local", "redis", "server+worker"] : ["local"]
const CONFIGS = (S.flag("configs") ?? ALL_CONFIGS.join(",")).split(",").filter((c) => ALL_CONFIGS.includes(c))
// 60 s per phase fits the 6 min limit with one configuration; with three, 20 s.
const SECONDS = B.numberFlag("seconds", CONFIGS.length > 1 ? 20 : 60)
const DRAIN_SECONDS = B.numberFlag("drain-seconds", CONFIGS.length > 1 ? 30 : 60)
const BATCHES = (S.flag("batches") ?? "1,50").split(",").map(Number)
const PING_SECONDS = B.numberFlag("ping-seconds", Math.min(SECONDS, 10))
const OUT = B.resultsPath("ingest")
const VISITORS = 200
const TYPES = ["view", "view", "view", "view", "add_to_cart", "wishlist", "click"]

/**
 * Sustained load for SECONDS; every request a fresh batch of unique events.
 * @param {string} base @param {number} batch @param {string} prefix @param {string[]} productIds
 */
function load(base, batch, prefix, productIds) {
  let seq = 0
  const acceptedIds = new Set()
  let accepted = 0
  let duplicatesAnswered = 0
  let rejected = 0
  /** @type {Record<string, number>} */
  const statuses = {}
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections: CONNECTIONS,
        duration: SECONDS,
        maxOverallRequests: SECONDS * 20000,
        timeout: 20,
        requests: [
          {
            method: "POST",
            path: "/store/interest/events",
            headers: { "content-type": "application/json" },
            setupRequest: (req) => {
              const n = seq++
              const events = []
              for (let i = 0; i < batch; i++) {
                const k = n * batch + i
                events.push({
                  type: TYPES[k % TYPES.length],
                  product_id: productIds[(k * 7919) % productIds.length],
                  client_event_id: `${prefix}${k}`,
                })
              }
              req.body = JSON.stringify({ visitor_id: `bench_v_${prefix.slice(0, 8)}_${n % VISITORS}`, events })
              return req
            },
            onResponse: (status, body) => {
              statuses[status] = (statuses[status] ?? 0) + 1
              if (status !== 202) return
              try {
                const json = JSON.parse(body)
                accepted += json.accepted
                duplicatesAnswered += json.duplicates
                rejected += json.rejected
                for (const r of json.results) if (r.status === "accepted") acceptedIds.add(r.client_event_id)
              } catch {
                // a 202 that is not JSON would be a bug: counted as nothing accepted
              }
            },
          },
        ],
      },
      (err, result) =>
        err ? reject(err) : resolve({ result, accepted, acceptedIds, duplicatesAnswered, rejected, statuses })
    )
    const guard = setTimeout(() => instance.stop(), (SECONDS + 30) * 1000)
    instance.on("done", () => clearTimeout(guard))
  })
}

/** @param {Client} db @param {string} prefix */
async function storedCount(db, prefix) {
  const { rows } = await db.query(
    `SELECT count(DISTINCT client_event_id)::int AS distinct_ids, count(*)::int AS rows FROM interest_event WHERE client_event_id LIKE $1`,
    [`${prefix}%`]
  )
  const staged = await db.query(`SELECT count(*)::int AS n FROM staged_job`)
  return { distinct: rows[0].distinct_ids, rows: rows[0].rows, staged: staged.rows[0].n }
}

/**
 * Waits until the stored count reaches the accepted count, or stops growing
 * (unchanged for 8 s, more than the bus's 3 s poll), or DRAIN_SECONDS pass.
 * @param {Client} db @param {string} prefix @param {number} accepted
 */
async function drain(db, prefix, accepted) {
  const t0 = Date.now()
  let last = await storedCount(db, prefix)
  let stableSince = Date.now()
  for (;;) {
    if (last.distinct >= accepted && last.staged === 0) return { ...last, drain_seconds: (Date.now() - t0) / 1000, reason: "all stored" }
    if (Date.now() - stableSince >= 8000 && last.staged === 0) return { ...last, drain_seconds: (Date.now() - t0) / 1000, reason: "stopped growing" }
    if (Date.now() - t0 >= DRAIN_SECONDS * 1000) return { ...last, drain_seconds: (Date.now() - t0) / 1000, reason: `drain limit ${DRAIN_SECONDS} s` }
    await S.sleep(1000)
    const now = await storedCount(db, prefix)
    if (now.distinct !== last.distinct) stableSince = Date.now()
    last = now
  }
}

async function main() {
  const started = Date.now()
  log(`configurations: ${CONFIGS.join(", ")}; batches ${BATCHES.join(", ")}; ${SECONDS} s each, ${CONNECTIONS} connections; drain wait <= ${DRAIN_SECONDS} s`)
  if (!WITH_REDIS) log("REDIS_URL is not set (and no --start-redis): only the local event bus is measured")
  const { databaseUrl } = await S.freshSeededDatabase({ log, defer: life.defer, tag: "bench_ingest" })
  let redisUrl = process.env.REDIS_URL
  if (!redisUrl && START_REDIS) redisUrl = await S.startRedis({ log, defer: life.defer })

  const db = new Client({ connectionString: databaseUrl })
  db.on("error", (e) => log(`Postgres client: ${e.message}`))
  await db.connect()
  life.defer("Postgres client", () => db.end())
  const productIds = (
    await db.query(`SELECT id FROM product WHERE deleted_at IS NULL AND status = 'published' ORDER BY id`)
  ).rows.map((r) => r.id)
  log(`${productIds.length} published products`)
  const jobsBatchSize = 1000 // projectConfig.jobs_batch_size is not set in medusa-config.js: Medusa's default

  /** @type {Record<string, unknown>[]} */
  const results = []
  for (const config of CONFIGS) {
    const env = { DATABASE_URL: databaseUrl }
    /** @type {{ url: string, stop: () => Promise<void> }[]} */
    const procs = []
    if (config === "local") {
      procs.push(await S.startShop({ log, defer: life.defer, env, name: "local", tag: "bench-ingest" }))
    } else if (config === "redis") {
      procs.push(await S.startShop({ log, defer: life.defer, env: { ...env, REDIS_URL: String(redisUrl) }, name: "redis", tag: "bench-ingest" }))
    } else {
      procs.push(await S.startShop({ log, defer: life.defer, env: { ...env, REDIS_URL: String(redisUrl), MEDUSA_WORKER_MODE: "server" }, name: "server", tag: "bench-ingest" }))
      procs.push(await S.startShop({ log, defer: life.defer, env: { ...env, REDIS_URL: String(redisUrl), MEDUSA_WORKER_MODE: "worker" }, name: "worker", tag: "bench-ingest" }))
    }
    const base = procs[0].url
    // Warm-up: one request so the first phase does not pay for lazy loading.
    await S.http(base, "POST", "/store/interest/events", { visitor_id: "bench_warmup_0", events: [{ type: "view", product_id: productIds[0] }] })

    for (const batch of BATCHES) {
      const ping = await B.cannon({ url: `${base}/store/interest/ping`, connections: CONNECTIONS, seconds: PING_SECONDS }).done
      log(`${config}: floor GET /store/interest/ping ${ping.requests.average} req/s (p99 ${ping.latency.p99} ms, non2xx ${ping.non2xx})`)
      const prefix = `b${process.pid.toString(36)}${Date.now().toString(36)}-${config.replace(/\W/g, "")}-${batch}-`
      log(`${config}, batch ${batch}: ${SECONDS} s of POST /store/interest/events`)
      const r = /** @type {any} */ (await load(base, batch, prefix, productIds))
      const afterLoad = await storedCount(db, prefix)
      log(`  ${r.result.requests.total} requests (${r.result.requests.average} req/s, p99 ${r.result.latency.p99} ms), statuses ${JSON.stringify(r.statuses)}; accepted ${r.accepted}; stored so far ${afterLoad.distinct}, staged_job backlog ${afterLoad.staged}`)
      const d = await drain(db, prefix, r.acceptedIds.size)
      // Exact: accepted ids that are not stored. Requests still in flight when
      // the load stopped may be stored without their 202 having been counted.
      const storedIds = new Set(
        (await db.query(`SELECT DISTINCT client_event_id AS id FROM interest_event WHERE client_event_id LIKE $1`, [`${prefix}%`])).rows.map((x) => x.id)
      )
      let missing = 0
      for (const id of r.acceptedIds) if (!storedIds.has(id)) missing++
      const row = {
        config,
        batch,
        accepted_per_s: Math.round((r.accepted / SECONDS) * 10) / 10,
        accepted: r.accepted,
        stored: d.distinct,
        lost: missing,
        stored_not_acknowledged: d.distinct - (r.acceptedIds.size - missing),
        duplicated: d.rows - d.distinct,
        requests: r.result.requests.total,
        requests_per_s: r.result.requests.average,
        ping_requests_per_s: ping.requests.average,
        floor_ratio: Math.round((r.result.requests.average / ping.requests.average) * 100) / 100,
        p50_ms: r.result.latency.p50,
        p99_ms: r.result.latency.p99,
        non202: r.result.requests.total - (r.statuses[202] ?? 0),
        errors: r.result.errors + r.result.timeouts,
        stored_when_load_ended: afterLoad.distinct,
        staged_backlog_when_load_ended: afterLoad.staged,
        drain_seconds: Math.round(d.drain_seconds),
        drain_end: d.reason,
        staged_left: d.staged,
        stored_per_s_incl_drain: Math.round((d.distinct / (SECONDS + d.drain_seconds)) * 10) / 10,
      }
      results.push(row)
      log(`  stored ${row.stored} after ${row.drain_seconds} s more (${d.reason}); lost ${row.lost}, duplicated ${row.duplicated}, staged_job left ${d.staged}`)
      if (d.staged > 0) {
        // Keep the next phase clean: what is still staged is counted as lost above.
        await db.query(`DELETE FROM staged_job`)
        log(`  dropped ${d.staged} staged jobs left over before the next phase`)
      }
    }
    for (const p of [...procs].reverse()) await p.stop()
  }

  console.log(`\nIngest (${CONNECTIONS} connections, ${SECONDS} s per phase, loopback, ${os.cpus().length} cores shared by Medusa, Postgres and autocannon; drain wait <= ${DRAIN_SECONDS} s):\n`)
  console.log(
    S.table(results, ["config", "batch", "accepted_per_s", "accepted", "stored", "lost", "duplicated", "requests_per_s", "ping_requests_per_s", "floor_ratio", "p99_ms", "non202", "stored_when_load_ended", "drain_seconds", "drain_end"])
  )
  const out = {
    settings: {
      seconds: SECONDS,
      drain_seconds: DRAIN_SECONDS,
      connections: CONNECTIONS,
      batches: BATCHES,
      ping_seconds: PING_SECONDS,
      visitors: VISITORS,
      products: productIds.length,
      jobs_batch_size: jobsBatchSize,
      cores: os.cpus().length,
      node: process.version,
      redis: redisUrl ? (START_REDIS && !process.env.REDIS_URL ? "redis-server started by the bench" : "REDIS_URL") : null,
      database: process.env.DATABASE_URL ? "DATABASE_URL server" : "embedded Postgres",
    },
    notes:
      "lost = accepted client_event_ids (distinct, from the 202 bodies) not stored when the wait ended (rows still staged in staged_job at that point count as lost); stored_not_acknowledged = stored ids whose 202 the client never counted (requests in flight when the load stopped); duplicated = rows sharing a client_event_id; floor_ratio = requests_per_s / ping_requests_per_s, the ping measured right before the phase at the same connections (for batch 1, accepted events/s over ping requests/s)",
    results,
    finished_at: new Date().toISOString(),
    total_seconds: Math.round((Date.now() - started) / 1000),
  }
  B.writeResults(OUT, out, log)
}

const life = S.lifecycle({ log, limitSeconds: LIMIT_SECONDS })
void life.run(main)
