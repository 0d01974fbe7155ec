import path from "path"
import { api, closeDb, createCustomer, insertHistory, itState, sql, uniqueId, waitFor } from "../support/harness"

/* eslint-disable @typescript-eslint/no-var-requires */
const ROOT = path.resolve(__dirname, "..", "..")
const { generateCatalog, simulateBehaviour } = require(path.join(ROOT, "dist", "demo", "synthetic"))
const { ADMIN } = require("../support/test-seed")
/* eslint-enable @typescript-eslint/no-var-requires */

const PLACEMENTS = ["for_you", "related", "trending", "recently_viewed", "segment"] as const

/**
 * Medusa v1 product categories a shopper never sees: an internal one (a
 * merchandising group, as the v1 starter's "Hidden homepage featured") and an
 * inactive one. Both hold every product, so before they were left out they
 * were every shopper's strongest interest and named every segment.
 */
describe("internal and inactive product categories", () => {
  let token: string
  const hidden = { internal: { id: "", name: uniqueId("Homepage featured") }, inactive: { id: "", name: uniqueId("Retired range") } }
  let versionId: string

  const mentions = (text: string): string[] =>
    Object.values(hidden).flatMap((c) => [c.id, c.name].filter((s) => text.includes(s)))

  beforeAll(async () => {
    token = (await api("/admin/auth/token", { body: ADMIN })).body.access_token
    const productIds = (await sql<{ id: string }>(`SELECT id FROM product WHERE deleted_at IS NULL`)).map((r) => r.id)
    for (const [key, flags] of [
      ["internal", { is_internal: true, is_active: true }],
      ["inactive", { is_internal: false, is_active: false }],
    ] as const) {
      const created = await api("/admin/product-categories", { body: { name: hidden[key].name, ...flags }, token })
      expect(created.status).toBe(200)
      hidden[key].id = created.body.product_category.id
      const added = await api(`/admin/product-categories/${hidden[key].id}/products/batch`, {
        body: { product_ids: productIds.map((id) => ({ id })) },
        token,
      })
      expect(added.status).toBe(200)
    }
    // Shoppers over the seeded test catalogue (same generator and seed as the seed file).
    const catalog = generateCatalog({ products: 40, categories: 8, collections: 3, tags: 5, types: 2, seed: 7 })
    const { events } = simulateBehaviour({ catalog, customers: 40, start: new Date(Date.now() - 60 * 86_400_000), days: 60, seed: 5 })
    await insertHistory(events, uniqueId("hidden"))
    const started = await api("/admin/interest/models/train", { method: "POST", token })
    expect(started.status).toBe(202)
    const run = await waitFor(
      async () => {
        const res = await api(`/admin/interest/runs/${started.body.run.id}`, { token })
        return res.body.run.status === "running" ? null : res.body.run
      },
      { timeoutMs: 240_000, intervalMs: 1000 }
    )
    expect([run.status, run.error]).toEqual(["succeeded", null])
    versionId = run.model_version_id
  })

  afterAll(async () => {
    for (const c of Object.values(hidden)) {
      if (c.id) await api(`/admin/product-categories/${c.id}`, { method: "DELETE", token })
    }
    await closeDb()
  })

  it("never name a segment, and are none of its top interests", async () => {
    const res = await api("/admin/interest/segments?status=all&limit=500", { token })
    expect(res.status).toBe(200)
    const ofVersion = (res.body.segments as { model_version_id: string }[]).filter((s) => s.model_version_id === versionId)
    expect(ofVersion.length).toBeGreaterThanOrEqual(2)
    for (const s of ofVersion) expect(mentions(JSON.stringify(s))).toEqual([])
  })

  it("are not interests: no profile and no stored list of the run has them", async () => {
    const profiles = await sql<{ vector: Record<string, number> }>(`SELECT vector FROM interest_profile WHERE model_version_id = $1`, [versionId])
    expect(profiles.length).toBeGreaterThan(0)
    expect(profiles.filter((p) => mentions(JSON.stringify(p.vector)).length)).toEqual([])
    const lists = await sql<{ items: unknown[] }>(`SELECT items FROM interest_recommendation WHERE model_version_id = $1`, [versionId])
    expect(lists.length).toBeGreaterThan(0)
    expect(lists.filter((l) => mentions(JSON.stringify(l.items)).length)).toEqual([])
  })

  it("appear in no reason of any placement", async () => {
    // A shopper who views products after training: their interests are folded in at request time.
    const shopper = await createCustomer()
    const viewed = (await sql<{ id: string }>(`SELECT id FROM product WHERE deleted_at IS NULL ORDER BY id LIMIT 4`)).map((r) => r.id)
    const posted = await api("/store/interest/events", {
      body: { events: viewed.map((product_id) => ({ type: "view", product_id })) },
      token: shopper.token,
    })
    expect(posted.status).toBe(202)
    for (const placement of PLACEMENTS) {
      const query = new URLSearchParams({ placement, limit: "12", region_id: itState().seed.regionId as string })
      if (placement === "related") query.set("product_id", viewed[0])
      const res = await api(`/store/recommendations?${query}`, { token: shopper.token })
      expect([placement, res.status]).toEqual([placement, 200])
      expect([placement, mentions(JSON.stringify(res.body))]).toEqual([placement, []])
    }
  })
})
