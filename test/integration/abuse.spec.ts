import path from "path"
import { api, apiFrom, closeDb, insertHistory, sql, uniqueId, waitFor } from "../support/harness"

/* eslint-disable @typescript-eslint/no-var-requires */
const ROOT = path.resolve(__dirname, "..", "..")
const { generateCatalog, simulateBehaviour } = require(path.join(ROOT, "dist", "demo", "synthetic"))
const { ADMIN } = require("../support/test-seed")

const ATTACK_MS = 60_000
const NEW_VISITORS = 20

/**
 * Posts 100-event batches (50 views and 50 add-to-carts of `productId`) for
 * `ms`, as fast as the API allows: on a 429 it waits what Retry-After says, as
 * a patient script would. Each batch comes from the next of `visitors`, all
 * from the local address `from`: an attacker of its own address, so the flood
 * spends its own IP budget, not that of 127.0.0.1, which the other files share.
 */
async function flood(from: string, visitors: string[], productId: string, ms: number): Promise<{ requests: number; accepted: number; limited: number }> {
  const until = Date.now() + ms
  const totals = { requests: 0, accepted: 0, limited: 0 }
  let turn = 0
  const worker = async (): Promise<void> => {
    while (Date.now() < until) {
      const visitor = visitors[turn++ % visitors.length]
      const events = Array.from({ length: 100 }, (_, i) => ({ type: i % 2 ? "add_to_cart" : "view", product_id: productId }))
      const res = await apiFrom(from, "/store/interest/events", { body: { visitor_id: visitor, events } })
      totals.requests++
      if (res.status === 202) totals.accepted += res.body.accepted
      else if (res.status === 429) {
        totals.limited++
        const wait = Number(res.headers.get("retry-after") ?? "1") * 1000
        await new Promise((r) => setTimeout(r, Math.max(0, Math.min(wait, until - Date.now()))))
      } else throw new Error(`unexpected ${res.status}: ${JSON.stringify(res.body)}`)
    }
  }
  // Two connections per attacker, as in the finding.
  await Promise.all([worker(), worker()])
  return totals
}

/**
 * The attacks of the abuse finding, on the real shop: with organic traffic in
 * place, one visitor, and 20 visitors from one address, post as fast as the API
 * lets them for a minute. After the next training neither target product, with
 * no organic traffic of its own, reaches trending's top 10 or more than 10% of
 * new visitors' "for you".
 */
describe("abuse: one client cannot take over what every shopper sees", () => {
  const prefix = uniqueId("organic")
  const attackers = { lone: [uniqueId("lone")], crowd: Array.from({ length: 20 }, () => uniqueId("sybil")) }
  let targets: { lone: string; crowd: string }
  let token: string

  beforeAll(async () => {
    token = (await api("/admin/auth/token", { body: ADMIN })).body.access_token
    // A month of organic shoppers over the seeded test catalogue, with no traffic
    // at all on the two products the attackers will push.
    const catalog = generateCatalog({ products: 40, categories: 8, collections: 3, tags: 5, types: 2, seed: 7 })
    const ids: string[] = catalog.products.map((p: { id: string }) => p.id)
    targets = { lone: ids[ids.length - 1], crowd: ids[ids.length - 2] }
    const start = new Date(Date.now() - 30 * 86_400_000)
    const { events } = simulateBehaviour({ catalog, customers: 150, start, days: 30, seed: 11 })
    const organic = events.filter((e: { productId: string }) => e.productId !== targets.lone && e.productId !== targets.crowd)
    await insertHistory(organic, prefix)
  })

  afterAll(async () => {
    await sql(`DELETE FROM interest_event WHERE customer_id LIKE $1 OR visitor_id = ANY($2)`, [
      `${prefix}_%`,
      [...attackers.lone, ...attackers.crowd],
    ])
    await closeDb()
  })

  it("keeps flooded products out of trending's top 10 and out of new visitors' lists", async () => {
    const [lone, crowd] = await Promise.all([
      flood("127.0.0.31", attackers.lone, targets.lone, ATTACK_MS),
      flood("127.0.0.32", attackers.crowd, targets.crowd, ATTACK_MS),
    ])
    // The attack really happened: many events of each target were stored.
    for (const [name, t] of [["lone", lone], ["crowd", crowd]] as const) {
      expect([name, t.accepted > 500]).toEqual([name, true])
    }
    const stored = await sql<{ product_id: string; n: string }>(
      `SELECT product_id, count(*) AS n FROM interest_event WHERE visitor_id = ANY($1) GROUP BY product_id`,
      [[...attackers.lone, ...attackers.crowd]]
    )
    expect(stored.map((r) => r.product_id).sort()).toEqual([targets.lone, targets.crowd].sort())

    const started = await api("/admin/interest/models/train", { method: "POST", token })
    expect(started.status).toBe(202)
    const run = await waitFor(
      async () => {
        const res = await api(`/admin/interest/runs/${started.body.run.id}`, { token })
        return res.body.run.status === "running" ? null : res.body.run
      },
      { timeoutMs: 240_000, intervalMs: 1000 }
    )
    expect(run.status).toBe("succeeded")

    const trending = await api(`/store/recommendations?placement=trending&limit=10`)
    expect(trending.status).toBe(200)
    expect(trending.body.model_version_id).toBe(run.model_version_id)
    const top10: string[] = trending.body.products.map((p: { id: string }) => p.id)
    expect(top10).toHaveLength(10)
    expect(top10).not.toContain(targets.lone)
    expect(top10).not.toContain(targets.crowd)

    const shown = { lone: 0, crowd: 0 }
    for (let v = 0; v < NEW_VISITORS; v++) {
      const res = await api(`/store/recommendations?placement=for_you`, {
        headers: { "x-interest-visitor-id": uniqueId("newcomer") },
      })
      expect(res.status).toBe(200)
      const list: string[] = res.body.products.map((p: { id: string }) => p.id)
      if (list.includes(targets.lone)) shown.lone++
      if (list.includes(targets.crowd)) shown.crowd++
    }
    expect(shown.lone).toBeLessThanOrEqual(NEW_VISITORS * 0.1)
    expect(shown.crowd).toBeLessThanOrEqual(NEW_VISITORS * 0.1)
  })
})
