#!/usr/bin/env node
// `npm start`: builds the plugin, starts Postgres (embedded unless DATABASE_URL
// is set), runs Medusa's and the plugin's migrations, seeds the demo shop once,
// and serves it on PORT (9000). Ctrl-C stops Medusa and the embedded Postgres.
const { execSync } = require("child_process")
const fs = require("fs")
const os = require("os")
const path = require("path")
const { startEmbeddedPostgres, devDataName, ensureDatabase, withDatabase } = require("./lib/postgres")
const { runMedusa, startMedusa, ROOT } = require("./lib/medusa")
const { ensureAdminBuild } = require("./lib/admin")
const { resolveDevSecrets } = require("./lib/dev-secrets")

const PORT = Number(process.env.PORT || 9000)
const PG_PORT = Number(process.env.EMBEDDED_PG_PORT || 54329)
const ADMIN_EMAIL = process.env.ADMIN_EMAIL || "admin@example.com"
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD || "supersecret"
const DATABASE = "medusa_interest"

const log = (message) => console.log(`[dev-shop] ${message}`)

let stop = async (code) => process.exit(code)

async function main() {
  const started = Date.now()
  // Refuses NODE_ENV=production with a default secret before a minute of build;
  // `medusa start` (medusa-config.js) prints the warning for development.
  resolveDevSecrets(process.env, () => undefined)
  if (process.env.SKIP_BUILD !== "1") {
    log("building the plugin (tsc)")
    execSync("npm run build --silent", { cwd: ROOT, stdio: "inherit" })
  }

  let embedded = null
  let databaseUrl = process.env.DATABASE_URL
  if (!databaseUrl) {
    const name = devDataName(ROOT)
    log(`starting embedded Postgres on port ${PG_PORT} (data: ${path.join(os.tmpdir(), name)})`)
    embedded = await startEmbeddedPostgres({ name, port: PG_PORT, persistent: true })
    await ensureDatabase(embedded.url("postgres"), DATABASE)
    databaseUrl = embedded.url(DATABASE)
  } else {
    await ensureDatabase(databaseUrl, new URL(databaseUrl).pathname.slice(1))
  }
  // The demo storefront page (/interest-demo) is on in the dev shop unless INTEREST_DEMO_STOREFRONT=0.
  const env = { DATABASE_URL: databaseUrl, INTEREST_DEMO_STOREFRONT: process.env.INTEREST_DEMO_STOREFRONT || "1" }

  stop = async (code) => {
    await medusa?.stop().catch(() => undefined)
    await embedded?.stop().catch(() => undefined)
    process.exit(code)
  }
  let medusa = null
  process.on("SIGINT", () => stop(0))
  process.on("SIGTERM", () => stop(0))

  log("running migrations (Medusa core + plugin)")
  await runMedusa(["migrations", "run"], { env })

  const demo = require(path.join(ROOT, "dist", "demo"))
  const { Client } = require("pg")
  const client = new Client({ connectionString: databaseUrl })
  await client.connect()
  const { rows } = await client.query(`SELECT count(*)::int AS n FROM product WHERE deleted_at IS NULL`)
  await client.end()
  if (rows[0].n === 0) {
    log("seeding the demo catalogue (medusa seed)")
    const file = path.join(os.tmpdir(), `medusa-interest-demo-seed-${process.pid}.json`)
    fs.writeFileSync(file, JSON.stringify(demo.demoSeedFile(ADMIN_EMAIL, ADMIN_PASSWORD)))
    await runMedusa(["seed", "-f", file], { env })
    fs.rmSync(file, { force: true })
  }

  // Before Medusa starts: medusa-config.js serves /app only when build/ exists.
  const admin = process.env.SKIP_ADMIN_BUILD === "1" ? null : await ensureAdminBuild({ log })
  if (admin && !admin.built) log("admin dashboard is up to date (build/)")

  log(`starting Medusa on port ${PORT}`)
  medusa = await startMedusa({ port: PORT, env, inheritOutput: true })

  const seeded = await demo.seedDemoShop({ baseUrl: `http://127.0.0.1:${PORT}`, databaseUrl, log })
  if (seeded.customers) log(`demo shoppers: ${seeded.customers} customers (${seeded.events} new events, ${seeded.orders} new orders)`)

  if (process.env.SKIP_FIRST_TRAINING !== "1") await trainFirstModel(`http://127.0.0.1:${PORT}`, databaseUrl)

  const base = `http://localhost:${PORT}`
  console.log(`
  Medusa with medusa-plugin-interest is ready in ${Math.round((Date.now() - started) / 1000)} s
    Storefront  ${base}/interest-demo   (demo storefront page: carousels, views, login)
    Store API   ${base}/store/products
    Events API  ${base}/store/interest/events
    Admin       ${admin ? `${base}${admin.path}` : "not built (SKIP_ADMIN_BUILD=1)"}   (log in: ${ADMIN_EMAIL} / ${ADMIN_PASSWORD})
    Admin API   ${base}/admin
    Database    ${embedded ? `embedded Postgres, ${databaseUrl}` : "DATABASE_URL"}
    Demo        ${base}/store/products?limit=12  (demo shoppers log in with <their email> / ${demo.DEMO_PASSWORD})
  Press Ctrl-C to stop.
`)
  medusa.child.on("exit", (code) => stop(code ?? 1))
}

/**
 * A fresh dev shop has history but no model, so its carousels would only show
 * popular products: train once, through the admin route a merchant would use.
 * A failed first training is reported and the shop keeps running.
 */
async function trainFirstModel(baseUrl, databaseUrl) {
  const { Client } = require("pg")
  const client = new Client({ connectionString: databaseUrl })
  await client.connect()
  const { rows } = await client.query(`SELECT count(*)::int AS n FROM interest_model_version WHERE is_active`)
  await client.end()
  if (rows[0].n > 0) return

  // A body means POST; none means GET.
  const call = async (route, token, body) => {
    const res = await fetch(`${baseUrl}${route}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const json = await res.json().catch(() => ({}))
    if (!res.ok) throw new Error(`${route} answered ${res.status}: ${JSON.stringify(json)}`)
    return json
  }
  try {
    const { access_token: token } = await call("/admin/auth/token", undefined, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
    const started = await call("/admin/interest/models/train", token, {})
    const runId = started.run.id
    log(`training the first model (run ${runId}; Admin → Models shows it)`)
    const deadline = Date.now() + 300000
    for (;;) {
      await new Promise((r) => setTimeout(r, 2000))
      const { run } = await call(`/admin/interest/runs/${runId}`, token)
      if (run.status === "succeeded") return log("first model trained and active")
      if (run.status === "failed") return log(`first training failed: ${run.error} (the shop serves popular products meanwhile)`)
      if (Date.now() > deadline) return log("first training still running after 300 s: it goes on in the background")
    }
  } catch (e) {
    log(`could not train the first model: ${e.message}`)
  }
}

main().catch(async (e) => {
  console.error(`[dev-shop] failed: ${e.stack || e}`)
  await stop(1)
})
