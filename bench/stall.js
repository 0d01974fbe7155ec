// @ts-check
/**
 * Training while serving: does a training run stall the server?
 *
 * Boots a demo shop (bench/lib/shop.js), trains once so a model serves, then per
 * round measures GET /store/recommendations at a fixed request rate with
 * autocannon, first idle and then during a training run, together with the
 * largest event-loop gap inside the Medusa process. The gap is recorded by a
 * small monitor preloaded with NODE_OPTIONS=--require (perf_hooks
 * monitorEventLoopDelay, 100 ms buckets written to a file): nothing of it is in
 * the plugin's code.
 *
 *   npm run bench:stall -- [--rounds 2] [--idle-seconds 30] [--rate 40] [--connections 4]
 *                          [--customers 500] [--orders 3] [--limit-seconds 1500]
 *
 * Goals (issue 5): largest gap during training <= 50 ms; p99 during training
 * <= 1.5x idle p99. Writes bench/results/stall.json.
 */
const fs = require("fs")
const os = require("os")
const path = require("path")
const S = require("./lib/shop")
const B = require("./lib/bench")

const log = S.makeLog("bench:stall")
const ROUNDS = B.numberFlag("rounds", 2)
// About as long as a training run of the demo shop: the largest gap grows with the window, so
// idle and training windows of similar length keep the comparison fair.
const IDLE_SECONDS = B.numberFlag("idle-seconds", 30)
const RATE = B.numberFlag("rate", 40)
const CONNECTIONS = B.numberFlag("connections", 4)
const CUSTOMERS = B.numberFlag("customers", 500)
const ORDERS = B.numberFlag("orders", 3)
const LIMIT_SECONDS = B.numberFlag("limit-seconds", 1500)
const OUT = B.resultsPath("stall")
const BUCKET_MS = 100

/** Preloaded into the Medusa process: one line per bucket, "<epoch ms> <max delay ms>". */
const MONITOR_SOURCE = `
const { monitorEventLoopDelay } = require("perf_hooks")
const { isMainThread } = require("worker_threads")
const fs = require("fs")
if (isMainThread && process.env.STALL_MONITOR_DIR) {
  const file = require("path").join(process.env.STALL_MONITOR_DIR, "loop-" + process.pid + ".log")
  const h = monitorEventLoopDelay({ resolution: 10 })
  h.enable()
  const timer = setInterval(() => {
    fs.appendFileSync(file, Date.now() + " " + (h.max / 1e6).toFixed(1) + "\\n")
    h.reset()
  }, ${BUCKET_MS})
  timer.unref()
}
`

/**
 * The largest event-loop delay any monitored process saw in [from, to].
 * @param {string} dir @param {number} from @param {number} to
 */
function largestGap(dir, from, to) {
  let max = 0
  for (const f of fs.readdirSync(dir).filter((n) => n.startsWith("loop-"))) {
    for (const line of fs.readFileSync(path.join(dir, f), "utf8").split("\n")) {
      const [t, ms] = line.split(" ").map(Number)
      // A bucket ending at t covers (t - BUCKET_MS, t]; a long stall is reported in the bucket where it ends.
      if (t >= from && t - BUCKET_MS <= to && ms > max) max = ms
    }
  }
  return Math.round(max * 10) / 10
}

/**
 * The `n` largest gaps in [from, to], each with the training stage it fell in
 * (the stage last polled before it; a gap is reported when it ends).
 * @param {string} dir @param {number} from @param {number} to @param {{ t: number, stage: string }[]} stages @param {number} n
 */
function worstGaps(dir, from, to, stages, n = 5) {
  /** @type {{ at_s: number, gap_ms: number, stage: string }[]} */
  const all = []
  for (const f of fs.readdirSync(dir).filter((x) => x.startsWith("loop-"))) {
    for (const line of fs.readFileSync(path.join(dir, f), "utf8").split("\n")) {
      const [t, ms] = line.split(" ").map(Number)
      if (!(t >= from && t <= to)) continue
      const stage = [...stages].reverse().find((s) => s.t <= t)?.stage ?? "queued"
      all.push({ at_s: Math.round((t - from) / 100) / 10, gap_ms: ms, stage })
    }
  }
  return all.sort((a, b) => b.gap_ms - a.gap_ms).slice(0, n)
}

/**
 * autocannon at a fixed overall rate until stop() (or `seconds`).
 * @param {string} url @param {Record<string,string>} headers @param {number} seconds
 */
const cannon = (url, headers, seconds) => B.cannon({ url, headers, connections: CONNECTIONS, seconds, rate: RATE })

async function main() {
  const started = Date.now()
  const monitorDir = fs.mkdtempSync(path.join(os.tmpdir(), "medusa-interest-stall-"))
  life.defer("monitor files", async () => fs.rmSync(monitorDir, { recursive: true, force: true }))
  const monitor = path.join(monitorDir, "monitor.js")
  fs.writeFileSync(monitor, MONITOR_SOURCE)

  const { databaseUrl, demo } = await S.freshSeededDatabase({ log, defer: life.defer, tag: "bench_stall" })
  const shop = await S.startShop({
    log,
    defer: life.defer,
    env: { DATABASE_URL: databaseUrl, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${monitor}`.trim(), STALL_MONITOR_DIR: monitorDir },
    name: "shop",
    tag: "bench-stall",
  })
  const base = shop.url
  log(`seeding ${CUSTOMERS} demo shoppers and ${ORDERS} real orders (seedDemoShop)`)
  const seeded = await demo.seedDemoShop({ baseUrl: base, databaseUrl, customers: CUSTOMERS, orders: ORDERS, log: (m) => log(`  ${m}`) })

  const { regionId, email, eventCount } = await B.shopFacts(databaseUrl, log)
  const adminAuth = await B.adminAuth(base)
  /** Starts a run and resolves when it finished, noting when it reached the saving stage. */
  const train = async () => {
    /** @type {number | null} */
    let fitAt = null
    /** @type {number | null} */
    let savingAt = null
    const t0 = Date.now()
    /** @type {{ t: number, stage: string }[]} */
    const stages = [{ t: t0, stage: "queued" }]
    const { run, t1 } = await B.trainModel(base, adminAuth, {
      pollMs: 200,
      onPoll: (run) => {
        const stage = run.status === "running" ? run.progress?.stage : "done"
        if (stage !== stages[stages.length - 1].stage) stages.push({ t: Date.now(), stage })
        if (!fitAt && stage !== "queued" && stage !== "loading") fitAt = Date.now()
        if (!savingAt && (stage === "saving" || stage === "done")) savingAt = Date.now()
      },
    })
    return { t0, t1, fitAt: fitAt ?? t1, savingAt: savingAt ?? t1, run, stages }
  }
  log(`training the first model on ${eventCount} events`)
  const firstRun = await train()
  log(`  trained in ${Math.round((firstRun.t1 - firstRun.t0) / 1000)} s`)

  const customer = await S.http(base, "POST", "/store/auth/token", { email, password: demo.DEMO_PASSWORD })
  const url = `${base}/store/recommendations?placement=for_you&limit=12&region_id=${regionId}`
  const headers = { authorization: `Bearer ${customer.access_token}` }
  const check = await fetch(url, { headers })
  if (!check.ok) throw new Error(`GET /store/recommendations: ${check.status} ${(await check.text()).slice(0, 300)}`)

  /** @type {Record<string, unknown>[]} */
  const rows = []
  for (let round = 1; round <= ROUNDS; round++) {
    log(`round ${round}: idle, ${IDLE_SECONDS} s at ${RATE} req/s`)
    const idleFrom = Date.now()
    const idle = /** @type {any} */ (await cannon(url, headers, IDLE_SECONDS).done)
    const idleGap = largestGap(monitorDir, idleFrom, Date.now())

    log(`round ${round}: training while serving at ${RATE} req/s`)
    const load = cannon(url, headers, 900)
    const t = await train()
    await S.sleep(1000) // the activation's aftermath (model reload) counts too
    load.stop()
    const busy = /** @type {any} */ (await load.done)
    const row = {
      round,
      idle_p50_ms: idle.latency.p50,
      idle_p99_ms: idle.latency.p99,
      train_p50_ms: busy.latency.p50,
      train_p99_ms: busy.latency.p99,
      p99_ratio: Math.round((busy.latency.p99 / Math.max(1, idle.latency.p99)) * 100) / 100,
      idle_gap_ms: idleGap,
      train_gap_ms: largestGap(monitorDir, t.t0, t.t1 + 1000),
      // Stage times are polled every 200 ms: each window starts 200 ms early.
      loading_gap_ms: largestGap(monitorDir, t.t0, t.fitAt),
      fit_gap_ms: largestGap(monitorDir, t.fitAt - 200, t.savingAt),
      saving_gap_ms: largestGap(monitorDir, t.savingAt - 200, t.t1 + 1000),
      train_seconds: Math.round((t.t1 - t.t0) / 1000),
      requests: busy.requests.total,
      non2xx: idle.non2xx + busy.non2xx,
      worst_gaps: worstGaps(monitorDir, t.t0, t.t1 + 1000, t.stages),
      errors: idle.errors + idle.timeouts + busy.errors + busy.timeouts,
    }
    rows.push(row)
    log(`  ${JSON.stringify(row)}`)
  }

  const med = (/** @type {string} */ k) => S.median(rows.map((r) => /** @type {number} */ (r[k])))
  const summary = {
    idle_p99_ms: med("idle_p99_ms"),
    train_p99_ms: med("train_p99_ms"),
    p99_ratio: med("p99_ratio"),
    idle_gap_ms: med("idle_gap_ms"),
    train_gap_ms: med("train_gap_ms"),
    loading_gap_ms: med("loading_gap_ms"),
    fit_gap_ms: med("fit_gap_ms"),
    saving_gap_ms: med("saving_gap_ms"),
  }
  const goals = [
    { goal: "largest event-loop gap during training", value: summary.train_gap_ms, target: "<= 50 ms", met: summary.train_gap_ms <= 50 },
    { goal: "serving p99 during training / idle", value: summary.p99_ratio, target: "<= 1.5", met: summary.p99_ratio <= 1.5 },
  ]
  console.log(`\nPer round (${RATE} req/s over ${CONNECTIONS} connections, GET /store/recommendations for_you as a logged-in shopper, ${os.cpus().length} cores shared):\n`)
  console.log(S.table(rows, ["round", "idle_p99_ms", "train_p99_ms", "p99_ratio", "idle_gap_ms", "loading_gap_ms", "fit_gap_ms", "saving_gap_ms", "train_gap_ms", "train_seconds", "non2xx"]))
  console.log(`\nMedian over ${ROUNDS} rounds:\n`)
  console.log(S.table(goals, ["goal", "value", "target", "met"]))

  const out = {
    goals,
    summary,
    notes:
      "gap = largest event-loop delay in the Medusa process (perf_hooks.monitorEventLoopDelay, 10 ms resolution, 100 ms buckets); " +
      "loading = reading events, catalogue and the previous model (main thread); fit = the worker thread training; " +
      "saving = persistence and activation on the main thread (+1 s after, the model reload). " +
      "The machine's cores are shared with other engineers' processes: see loadavg.",
    machine: B.machine(),
    settings: { rounds: ROUNDS, idle_seconds: IDLE_SECONDS, rate: RATE, connections: CONNECTIONS, customers: CUSTOMERS, orders: ORDERS },
    shop: { events: eventCount, seeded, database: process.env.DATABASE_URL ? "DATABASE_URL server" : "embedded Postgres" },
    rows,
    finished_at: new Date().toISOString(),
    total_seconds: Math.round((Date.now() - started) / 1000),
  }
  B.writeResults(OUT, out, log)
}

const life = S.lifecycle({ log, limitSeconds: LIMIT_SECONDS })
void life.run(main)
