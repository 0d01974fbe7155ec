// @ts-check
/**
 * Serving benchmark: GET /store/recommendations (every placement, logged-in and
 * anonymous) against Medusa's own GET /store/products (the peer) and the
 * plugin's GET /store/interest/ping (the floor: a constant `{"ok":true}` behind
 * the same store middlewares as the recommendations route), with Medusa's
 * GET /health as an extra row (no store middlewares), with autocannon on
 * loopback, in alternating rounds on a shop this script boots and trains itself.
 *
 *   npm run bench:serve -- [--seconds 8] [--rounds 3] [--connections 10]
 *                          [--customers 500] [--orders 3] [--limit-seconds 600]
 *
 * Writes bench/results/serve.json.
 */
const os = require("os")
const S = require("./lib/shop")
const B = require("./lib/bench")

const log = S.makeLog("bench:serve")
const SECONDS = B.numberFlag("seconds", 8)
const ROUNDS = B.numberFlag("rounds", 3)
const CONNECTIONS = B.numberFlag("connections", 10)
const CUSTOMERS = B.numberFlag("customers", 500)
const ORDERS = B.numberFlag("orders", 3)
const LIMIT_SECONDS = B.numberFlag("limit-seconds", 600)
const OUT = B.resultsPath("serve")
const LIMIT = 12

/** One autocannon run, bounded in time and count. @param {string} url @param {Record<string,string>} headers */
const cannon = (url, headers) => B.cannon({ url, headers, connections: CONNECTIONS, seconds: SECONDS }).done

async function main() {
  const started = Date.now()
  const { databaseUrl, demo } = await S.freshSeededDatabase({ log, defer: life.defer, tag: "bench_serve" })
  const shop = await S.startShop({ log, defer: life.defer, env: { DATABASE_URL: databaseUrl }, name: "shop", tag: "bench-serve" })
  const base = shop.url

  log(`seeding ${CUSTOMERS} demo shoppers and ${ORDERS} real orders (seedDemoShop)`)
  const seeded = await demo.seedDemoShop({ baseUrl: base, databaseUrl, customers: CUSTOMERS, orders: ORDERS, log: (m) => log(`  ${m}`) })
  log(`  seeded: ${JSON.stringify(seeded)}`)

  const { regionId, email, productId, eventCount } = await B.shopFacts(databaseUrl, log)

  const adminAuth = await B.adminAuth(base)
  log(`training a model on ${eventCount} events (POST /admin/interest/models/train)`)
  const { run, t0, t1 } = await B.trainModel(base, adminAuth, { pollMs: 2000, timeoutMs: 300000 })
  const trainSeconds = Math.round((t1 - t0) / 1000)
  log(`  trained in ${trainSeconds} s (model ${run.model_version_id})`)

  const customer = await S.http(base, "POST", "/store/auth/token", { email, password: demo.DEMO_PASSWORD })
  const shopperAuth = { authorization: `Bearer ${customer.access_token}` }
  // An anonymous visitor with a few recent views, so for_you / recently_viewed
  // have something to fold in.
  const visitorId = `bench_visitor_${process.pid}`
  const prods = await S.http(base, "GET", `/store/products?limit=5&region_id=${regionId}`)
  await S.http(base, "POST", "/store/interest/events", {
    visitor_id: visitorId,
    events: prods.products.map((/** @type {{id: string}} */ p) => ({ type: "view", product_id: p.id })),
  })
  await S.sleep(4000) // the event bus writes the rows within ~3 s

  /** @type {{ name: string, kind: string, placement?: string, auth?: string, path: string, headers: Record<string,string> }[]} */
  const targets = []
  for (const placement of ["for_you", "related", "trending", "recently_viewed", "segment"]) {
    const extra = placement === "related" ? `&product_id=${productId}` : ""
    const q = `/store/recommendations?placement=${placement}&limit=${LIMIT}&region_id=${regionId}${extra}`
    targets.push({ name: `rec ${placement} customer`, kind: "recommendations", placement, auth: "customer", path: q, headers: shopperAuth })
    targets.push({ name: `rec ${placement} visitor`, kind: "recommendations", placement, auth: "visitor", path: q, headers: { "x-interest-visitor-id": visitorId } })
  }
  targets.push({ name: "store/products (peer)", kind: "products", path: `/store/products?limit=${LIMIT}&region_id=${regionId}`, headers: {} })
  // The floor, anonymous and logged in: a bearer token makes Medusa's store
  // middleware verify a JWT, which the logged-in recommendation rows pay too.
  targets.push({ name: "interest/ping (floor)", kind: "floor", auth: "visitor", path: "/store/interest/ping", headers: {} })
  targets.push({ name: "interest/ping customer (floor)", kind: "floor", auth: "customer", path: "/store/interest/ping", headers: shopperAuth })
  targets.push({ name: "health (Medusa)", kind: "health", path: "/health", headers: {} })

  for (const t of targets) {
    const res = await fetch(base + t.path, { headers: t.headers })
    const body = await res.text()
    if (!res.ok) throw new Error(`${t.name}: ${res.status} ${body.slice(0, 300)}`)
    if (t.kind === "recommendations") {
      const products = JSON.parse(body).products
      const priced = products.filter((/** @type {any} */ p) => typeof p.variants?.[0]?.calculated_price === "number").length
      log(`  check ${t.name}: ${products.length} products, ${priced} priced`)
    }
  }

  const loadBefore = os.loadavg()
  log(`measuring: ${ROUNDS} rounds x ${targets.length} targets x ${SECONDS} s, ${CONNECTIONS} connections (alternating)`)
  /** @type {Record<string, unknown>[]} */
  const rows = []
  for (let round = 1; round <= ROUNDS; round++) {
    // Alternate the order between rounds so no target always runs after the same one.
    const order = round % 2 ? targets : [...targets].reverse()
    for (const t of order) {
      const r = /** @type {any} */ (await cannon(base + t.path, t.headers))
      const row = {
        round,
        target: t.name,
        kind: t.kind,
        placement: t.placement ?? null,
        auth: t.auth ?? null,
        rps: Math.round(r.requests.average * 10) / 10,
        p50_ms: r.latency.p50,
        p99_ms: r.latency.p99,
        requests: r.requests.total,
        non2xx: r.non2xx,
        errors: r.errors + r.timeouts,
      }
      rows.push(row)
      log(`  round ${round} ${t.name.padEnd(28)} ${String(row.rps).padStart(7)} req/s  p50 ${row.p50_ms} ms  p99 ${row.p99_ms} ms${row.non2xx || row.errors ? `  non2xx ${row.non2xx} errors ${row.errors}` : ""}`)
    }
  }

  const of = (/** @type {string} */ kind, /** @type {string} */ key) =>
    rows.filter((r) => r.kind === kind).map((r) => /** @type {number} */ (r[key]))
  const rec = { rps: S.median(of("recommendations", "rps")), p50: S.median(of("recommendations", "p50_ms")), p99: S.median(of("recommendations", "p99_ms")) }
  const peer = { rps: S.median(of("products", "rps")), p50: S.median(of("products", "p50_ms")), p99: S.median(of("products", "p99_ms")) }
  const floor = { rps: S.median(of("floor", "rps")), p50: S.median(of("floor", "p50_ms")), p99: S.median(of("floor", "p99_ms")) }
  const health = { rps: S.median(of("health", "rps")), p50: S.median(of("health", "p50_ms")), p99: S.median(of("health", "p99_ms")) }
  const loadAfter = os.loadavg()
  const round2 = (/** @type {number} */ x) => Math.round(x * 1000) / 1000
  // Each recommendations row against the floor row of the same auth in the same round (same
  // middlewares, same moment of a machine whose load varies), then the median over rows.
  const floorOf = (/** @type {number} */ round, /** @type {unknown} */ auth) =>
    /** @type {number} */ (rows.find((r) => r.kind === "floor" && r.round === round && r.auth === auth)?.rps)
  const perRow = rows.filter((r) => r.kind === "recommendations").map((r) => /** @type {number} */ (r.rps) / floorOf(/** @type {number} */ (r.round), r.auth))
  const ofAuth = (/** @type {string} */ kind, /** @type {string} */ auth) =>
    rows.filter((r) => r.kind === kind && r.auth === auth).map((r) => /** @type {number} */ (r.rps))
  const ratios = {
    rps_ratio: round2(rec.rps / peer.rps),
    p99_ratio: round2(rec.p99 / peer.p99),
    floor_ratio: round2(S.median(perRow)),
    floor_ratio_visitor: round2(S.median(ofAuth("recommendations", "visitor")) / S.median(ofAuth("floor", "visitor"))),
    floor_ratio_customer: round2(S.median(ofAuth("recommendations", "customer")) / S.median(ofAuth("floor", "customer"))),
    floor_ratio_anonymous_floor: round2(rec.rps / S.median(ofAuth("floor", "visitor"))),
  }

  // Per target: the median over rounds.
  const summary = targets.map((t) => {
    const mine = rows.filter((r) => r.target === t.name)
    return {
      target: t.name,
      rps: S.median(mine.map((r) => /** @type {number} */ (r.rps))),
      p50_ms: S.median(mine.map((r) => /** @type {number} */ (r.p50_ms))),
      p99_ms: S.median(mine.map((r) => /** @type {number} */ (r.p99_ms))),
      non2xx: mine.reduce((a, r) => a + /** @type {number} */ (r.non2xx), 0),
    }
  })
  console.log(`\nMedian over ${ROUNDS} rounds per target (${CONNECTIONS} connections, ${SECONDS} s each, loopback, ${os.cpus().length} cores shared by Medusa, Postgres and autocannon):\n`)
  console.log(S.table(summary, ["target", "rps", "p50_ms", "p99_ms", "non2xx"]))
  const goals = [
    { goal: "rec rps >= 4x listing", value: ratios.rps_ratio, target: ">= 4", met: ratios.rps_ratio >= 4 },
    { goal: "rec p99 <= 0.25x listing", value: ratios.p99_ratio, target: "<= 0.25", met: ratios.p99_ratio <= 0.25 },
    { goal: "rec rps >= 0.5x floor", value: ratios.floor_ratio, target: ">= 0.5", met: ratios.floor_ratio >= 0.5 },
  ]
  console.log(`\nRecommendations = median over all ${targets.length - 4} placement/auth targets x ${ROUNDS} rounds; listing and floor = median over rounds:`)
  console.log(`  recommendations ${rec.rps} req/s p99 ${rec.p99} ms | listing ${peer.rps} req/s p99 ${peer.p99} ms | floor ${floor.rps} req/s p99 ${floor.p99} ms\n`)
  console.log(S.table(goals, ["goal", "value", "target", "met"]))

  const out = {
    ...ratios,
    ratio_basis:
      "median over every recommendations row (5 placements x customer/visitor x rounds) divided by the median over rounds of GET /store/products?limit=12&region_id (rps_ratio, p99_ratio); floor_ratio = median over recommendations rows of the row's req/s divided by GET /store/interest/ping's with the same auth (anonymous or the same bearer token) in the same round; floor_ratio_visitor / _customer = medians per auth; floor_ratio_anonymous_floor = median of all recommendations rows / median of the anonymous ping",
    goals,
    recommendations: rec,
    listing: peer,
    floor: {
      ...floor,
      visitor_rps: S.median(ofAuth("floor", "visitor")),
      customer_rps: S.median(ofAuth("floor", "customer")),
      route: "GET /store/interest/ping (the plugin's constant route, behind the same store middlewares), anonymous and with the shopper's bearer token",
    },
    health: { ...health, route: "GET /health (Medusa's constant route, no store middlewares; not used in the ratios)" },
    // Other processes share the cores: the load averages tell how busy the machine was.
    machine: { loadavg_before: loadBefore.map((x) => Math.round(x * 100) / 100), loadavg_after: loadAfter.map((x) => Math.round(x * 100) / 100) },
    settings: { seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS, limit: LIMIT, customers: CUSTOMERS, orders: ORDERS, cores: os.cpus().length, node: process.version },
    shop: { events: eventCount, train_seconds: trainSeconds, seeded, database: process.env.DATABASE_URL ? "DATABASE_URL server" : "embedded Postgres" },
    summary,
    rows,
    finished_at: new Date().toISOString(),
    total_seconds: Math.round((Date.now() - started) / 1000),
  }
  B.writeResults(OUT, out, log)
}

const life = S.lifecycle({ log, limitSeconds: LIMIT_SECONDS })
void life.run(main)
