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

const PORT = Number(process.env.PORT || 9000)
const PG_PORT = Number(process.env.EMBEDDED_PG_PORT || 54329)
const ADMIN_EMAIL = process.env.ADMIN_EMAIL || "admin@example.com"
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD || "supersecret"
const DATABASE = "medusa_interest"

const log = (message) => console.log(`[dev-shop] ${message}`)

let stop = async (code) => process.exit(code)

async function main() {
  const started = Date.now()
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

main().catch(async (e) => {
  console.error(`[dev-shop] failed: ${e.stack || e}`)
  await stop(1)
})
