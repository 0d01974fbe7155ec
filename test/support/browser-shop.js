// Gives the browser-test shop shoppers and a trained model: registers simulated
// customers through the store API, writes their three months of history into
// the plugin's table, then trains through the admin route and waits for the
// run, exactly as a merchant would.
const path = require("path")
const { Pool } = require("pg")
const { ROOT } = require("../../scripts/lib/medusa")
const { ADMIN } = require("./test-seed")

/** The generator settings of test-seed.js's catalogue, so events name real products. */
const CATALOG = { products: 40, categories: 8, collections: 3, tags: 5, types: 2, seed: 7 }
const PASSWORD = "browser-shopper"

async function post(baseUrl, route, body, token) {
  const res = await fetch(`${baseUrl}${route}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`POST ${route} answered ${res.status}: ${text.slice(0, 500)}`)
  return text ? JSON.parse(text) : null
}

async function insertHistory(databaseUrl, events, customerIds, offset = 0) {
  const pool = new Pool({ connectionString: databaseUrl, max: 2 })
  try {
    for (let i = 0; i < events.length; i += 500) {
      const params = []
      const values = events.slice(i, i + 500).map((e, j) => {
        const n = offset + i + j
        params.push(`iev_browser_${n}`, customerIds.get(e.customerId), e.productId, e.type, e.quantity ?? 1, new Date(e.timestamp).toISOString(), `browser:${n}`)
        const b = j * 7
        return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7})`
      })
      await pool.query(
        `INSERT INTO interest_event (id, customer_id, product_id, type, quantity, occurred_at, client_event_id) VALUES ${values.join(", ")}`,
        params
      )
    }
  } finally {
    await pool.end()
  }
}

/** Trains through the admin route and polls the run; throws unless it succeeds. */
async function train(baseUrl) {
  const { access_token: token } = await post(baseUrl, "/admin/auth/token", ADMIN)
  const started = await post(baseUrl, "/admin/interest/models/train", undefined, token)
  const runId = started.run.id
  const deadline = Date.now() + 300_000
  for (;;) {
    const res = await fetch(`${baseUrl}/admin/interest/runs/${runId}`, { headers: { authorization: `Bearer ${token}` } })
    const { run } = await res.json()
    if (run.status === "succeeded") return run
    if (run.status === "failed") throw new Error(`training run ${runId} failed: ${run.error}`)
    if (Date.now() > deadline) throw new Error(`training run ${runId} did not finish within 300 s`)
    await new Promise((r) => setTimeout(r, 1000))
  }
}

/**
 * Two training runs, so the Segments page has a flow to show: the first on the
 * history up to ten days ago, the second after the last ten days arrived.
 * @param {{ baseUrl: string, databaseUrl: string, customers?: number }} o
 * @return {Promise<{ customers: number, events: number, previousRun: { id: string, model_version_id: string }, run: { id: string, model_version_id: string } }>}
 */
async function prepareBrowserShop({ baseUrl, databaseUrl, customers = 60 }) {
  const { generateCatalog, simulateBehaviour } = require(path.join(ROOT, "dist", "demo", "synthetic"))
  const { registerThroughStore } = require(path.join(ROOT, "dist", "demo"))
  const catalog = generateCatalog(CATALOG)
  const start = new Date(Date.now() - 90 * 86_400_000)
  const behaviour = simulateBehaviour({ catalog, customers, start, days: 90, seed: 11 })
  // A few at a time: each registration hashes a password.
  const ids = await registerThroughStore(baseUrl, behaviour.customers, PASSWORD, 4)
  const cut = Date.now() - 10 * 86_400_000
  const earlier = behaviour.events.filter((e) => e.timestamp < cut)
  const later = behaviour.events.filter((e) => e.timestamp >= cut)
  await insertHistory(databaseUrl, earlier, ids)
  const previousRun = await train(baseUrl)
  await insertHistory(databaseUrl, later, ids, earlier.length)
  const run = await train(baseUrl)
  const brief = (r) => ({ id: r.id, model_version_id: r.model_version_id })
  return { customers: ids.size, events: behaviour.events.length, previousRun: brief(previousRun), run: brief(run) }
}

module.exports = { prepareBrowserShop, SHOPPER_PASSWORD: PASSWORD }
