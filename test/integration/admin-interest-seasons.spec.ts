import { trainPipeline } from "../../src/engine/pipeline"
import type { InterestEvent } from "../../src/engine/types"
import { api, closeDb, sql, uniqueId, waitFor } from "../support/harness"

/* eslint-disable @typescript-eslint/no-var-requires */
const { ADMIN } = require("../support/test-seed")

type Category = { id: string; name: string; product: string }

/**
 * A model of month periods trained (LSTM off) on `months` months from January
 * 2003, a window no other file writes events into: every customer views a shoe
 * each month, and in December a hat four times, then stored as a ready version.
 */
async function storeModel(shoes: Category, hats: Category, months: number): Promise<string> {
  const events: InterestEvent[] = []
  for (let u = 0; u < 10; u++) {
    for (let m = 0; m < months; m++) {
      const t = Date.UTC(2003, m, 2 + u)
      events.push({ customerId: `seasons_${u}`, productId: shoes.product, type: "view", timestamp: t })
      if (m % 12 === 11) for (let e = 1; e <= 4; e++) events.push({ customerId: `seasons_${u}`, productId: hats.product, type: "view", timestamp: t + e * 3_600_000 })
    }
  }
  const catalog = [shoes, hats].map((c) => ({ id: c.product, categoryIds: [c.id] }))
  const artifacts = await trainPipeline(events, catalog, { period: "month", sequence: { enabled: false } })
  const id = uniqueId("imv_seasons")
  await sql(
    `INSERT INTO interest_model_version (id, status, is_active, artifacts, metrics, backend, duration_ms, event_count, customer_count)
     VALUES ($1, 'ready', false, $2, '{}', 'cpu', 1, $3, 10)`,
    [id, JSON.stringify(artifacts), events.length]
  )
  return id
}

const activeIds = async (): Promise<string[]> =>
  (await sql<{ id: string }>(`SELECT id FROM interest_model_version WHERE is_active AND deleted_at IS NULL`)).map((r) => r.id)

describe("GET /admin/interest/seasons", () => {
  let token: string
  let previousActive: string[]
  let shoes: Category
  let hats: Category
  let twoYears: string
  let halfYear: string
  const activate = async (id: string): Promise<void> => {
    const res = await api(`/admin/interest/models/${id}/activate`, { token, body: {} })
    expect(res.status).toBe(200)
  }

  beforeAll(async () => {
    const auth = await api("/admin/auth/token", { body: ADMIN })
    expect(auth.status).toBe(200)
    token = auth.body.access_token
    previousActive = await activeIds()
    const rows = await sql<Category>(
      `SELECT DISTINCT ON (c.id) c.id, c.name, p.product_id AS product
       FROM product_category c
       JOIN product_category_product p ON p.product_category_id = c.id
       WHERE (SELECT count(*) FROM product_category_product q WHERE q.product_id = p.product_id) = 1
       ORDER BY c.id, p.product_id LIMIT 2`
    )
    expect(rows).toHaveLength(2)
    ;[shoes, hats] = rows
    twoYears = await storeModel(shoes, hats, 24)
    halfYear = await storeModel(shoes, hats, 6)
    await activate(twoYears)
  })

  afterAll(async () => {
    if (previousActive.length) await api(`/admin/interest/models/${previousActive[0]}/activate`, { token, body: {} })
    else await sql(`UPDATE interest_model_version SET is_active = false WHERE id = ANY($1)`, [[twoYears, halfYear]])
    await sql(`UPDATE interest_model_version SET deleted_at = now() WHERE id = ANY($1)`, [[twoYears, halfYear]])
    await waitFor(async () => (await sql(`SELECT 1 FROM staged_job WHERE event_name = 'interest.model_activated'`)).length === 0, {
      timeoutMs: 30000,
    }).catch(() => undefined)
    await closeDb()
  })

  it("answers 401 without a token", async () => {
    expect((await api("/admin/interest/seasons")).status).toBe(401)
    expect((await api("/admin/interest/seasons", { token: "not-a-jwt" })).status).toBe(401)
  })

  it.each([
    "cycle=year",
    "limit=0",
    "limit=51",
    "limit=abc",
    "from=yesterday",
    "to=2004-13-01",
    "from=2004-06-01&to=2004-01-01",
    "cycle=weekday",
  ])("answers 400 for %s", async (q) => {
    const res = await api(`/admin/interest/seasons?${q}`, { token })
    expect(res.status).toBe(400)
  })

  it("finds the category that peaks every December", async () => {
    const res = await api("/admin/interest/seasons", { token })
    expect(res.status).toBe(200)
    const body = res.body
    expect(body).toMatchObject({
      model_version_id: twoYears,
      cycle: "month",
      model_period: "month",
      note: null,
      from: "2003-01-01T00:00:00.000Z",
      to: "2005-01-01T00:00:00.000Z",
      span_days: 731,
    })
    expect(body.slots).toHaveLength(12)
    expect(body.slots[11]).toBe("Dec")
    // Ten customers in each of two Januarys, Decembers and so on.
    expect(body.customers).toEqual(new Array(12).fill(20))
    const byId = new Map(body.categories.map((c: { id: string }) => [c.id, c]))
    const hat = byId.get(hats.id) as { name: string; index: number[]; peak: number; mean_share: number }
    const shoe = byId.get(shoes.id) as { index: number[]; peak: number }
    expect(hat.name).toBe(hats.name)
    expect(hat.peak).toBe(11)
    expect(hat.index[11]).toBeGreaterThan(2)
    expect(hat.index[0]).toBeLessThan(1)
    expect(hat.mean_share).toBeGreaterThan(0)
    expect(shoe.index[11]).toBeLessThan(1)
    expect(shoe.peak).not.toBe(11)
  })

  it("keeps `limit` categories and cuts to from/to", async () => {
    const one = await api("/admin/interest/seasons?limit=1", { token })
    expect(one.status).toBe(200)
    expect(one.body.categories).toHaveLength(1)
    const cut = await api("/admin/interest/seasons?from=2003-01-01&to=2003-07-01", { token })
    expect(cut.status).toBe(200)
    expect(cut.body.categories).toEqual([])
    expect(cut.body.note).toMatch(/spans 181 days; a seasonal index needs at least a year/)
  })

  it("explains a history shorter than a year", async () => {
    await activate(halfYear)
    try {
      const res = await api("/admin/interest/seasons", { token })
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({ model_version_id: halfYear, categories: [], customers: new Array(12).fill(0) })
      expect(res.body.note).toMatch(/a seasonal index needs at least a year/)
    } finally {
      await activate(twoYears)
    }
  })
})
