import { trainPipeline } from "../../src/engine/pipeline"
import type { InterestEvent } from "../../src/engine/types"
import { api, closeDb, sql, uniqueId, waitFor } from "../support/harness"

/* eslint-disable @typescript-eslint/no-var-requires */
const { ADMIN } = require("../support/test-seed")

type Category = { id: string; name: string; product: string }

const WEEK = 7 * 86_400_000
/** Monday 2001-01-01: a window no other file writes events into. */
const START = Date.UTC(2001, 0, 1)

/**
 * A model trained (LSTM off) on a hand-built history and stored as a ready
 * version, as a training run would: `moves` customers view a product of `from`
 * in week 0 and one of `to` in week 1 (each pair of categories its own customers).
 */
async function storeModel(moves: { from: Category; to: Category; customers: number }[]): Promise<string> {
  const events: InterestEvent[] = []
  let n = 0
  for (const m of moves) {
    for (let i = 0; i < m.customers; i++, n++) {
      const customerId = `flows_${n}`
      events.push({ customerId, productId: m.from.product, type: "view", timestamp: START + 3_600_000 * (n + 1) })
      events.push({ customerId, productId: m.to.product, type: "view", timestamp: START + WEEK + 3_600_000 * (n + 1) })
    }
  }
  const categories = [...new Map(moves.flatMap((m) => [m.from, m.to]).map((c) => [c.id, c])).values()]
  const catalog = categories.map((c) => ({ id: c.product, categoryIds: [c.id] }))
  const artifacts = await trainPipeline(events, catalog, { period: "week", sequence: { enabled: false } })
  const id = uniqueId("imv_flows")
  await sql(
    `INSERT INTO interest_model_version (id, status, is_active, artifacts, metrics, backend, duration_ms, event_count, customer_count)
     VALUES ($1, 'ready', false, $2, '{}', 'cpu', 1, $3, $4)`,
    [id, JSON.stringify(artifacts), events.length, n]
  )
  return id
}

const activeIds = async (): Promise<string[]> =>
  (await sql<{ id: string }>(`SELECT id FROM interest_model_version WHERE is_active AND deleted_at IS NULL`)).map((r) => r.id)

describe("admin interest flows", () => {
  let token: string
  let previousActive: string[]
  let shoes: Category
  let bags: Category
  let hats: Category
  let first: string
  let second: string
  const activate = async (id: string): Promise<void> => {
    const res = await api(`/admin/interest/models/${id}/activate`, { token, body: {} })
    expect(res.status).toBe(200)
  }

  beforeAll(async () => {
    const auth = await api("/admin/auth/token", { body: ADMIN })
    expect(auth.status).toBe(200)
    token = auth.body.access_token
    previousActive = await activeIds()
    // Three categories, each with a product of its own (a product in several would split its weight).
    const rows = await sql<Category>(
      `SELECT DISTINCT ON (c.id) c.id, c.name, p.product_id AS product
       FROM product_category c
       JOIN product_category_product p ON p.product_category_id = c.id
       WHERE (SELECT count(*) FROM product_category_product q WHERE q.product_id = p.product_id) = 1
       ORDER BY c.id, p.product_id LIMIT 3`
    )
    expect(rows).toHaveLength(3)
    ;[shoes, bags, hats] = rows
    // 8 customers go from shoes to bags, 3 from shoes to hats (fewer than 5: too few to mean anything).
    first = await storeModel([
      { from: shoes, to: bags, customers: 8 },
      { from: shoes, to: hats, customers: 3 },
    ])
    // Everyone goes from hats to shoes.
    second = await storeModel([{ from: hats, to: shoes, customers: 6 }])
    await activate(first)
  })

  afterAll(async () => {
    // Other files share the database: give back the version that served before.
    if (previousActive.length) await api(`/admin/interest/models/${previousActive[0]}/activate`, { token, body: {} })
    else await sql(`UPDATE interest_model_version SET is_active = false WHERE id = ANY($1)`, [[first, second]])
    await sql(`UPDATE interest_model_version SET deleted_at = now() WHERE id = ANY($1)`, [[first, second]])
    await waitFor(async () => (await sql(`SELECT 1 FROM staged_job WHERE event_name = 'interest.model_activated'`)).length === 0, {
      timeoutMs: 30000,
    }).catch(() => undefined)
    await closeDb()
  })

  it.each(["/admin/interest/interests", "/admin/interest/transitions"])("%s answers 401 without a token", async (path) => {
    expect((await api(path)).status).toBe(401)
    expect((await api(path, { token: "not-a-jwt" })).status).toBe(401)
  })

  describe("GET /admin/interest/interests", () => {
    it("answers each category's share per week, the model's last 12 weeks by default", async () => {
      const res = await api("/admin/interest/interests", { token })
      expect(res.status).toBe(200)
      const body = res.body
      expect(body).toMatchObject({ model_version_id: first, period: "week", model_period: "week", note: null, trend_min_change: 0.02 })
      // The model's last week is week 1 of the history: 12 weeks ending there.
      expect(body.periods).toHaveLength(12)
      expect(body.to).toBe(new Date(START + 2 * WEEK).toISOString())
      expect(body.from).toBe(new Date(START - 10 * WEEK).toISOString())
      const [w0, w1] = body.periods.slice(-2)
      expect(w0).toEqual({ start: new Date(START).toISOString(), customers: 11 })
      expect(w1).toEqual({ start: new Date(START + WEEK).toISOString(), customers: 11 })
      expect(body.periods.slice(0, 10).every((p: { customers: number }) => p.customers === 0)).toBe(true)
      const byId = new Map(body.categories.map((c: { id: string }) => [c.id, c]))
      expect(byId.get(shoes.id)).toMatchObject({ name: shoes.name, trend: "falling" })
      expect(byId.get(bags.id)).toMatchObject({ name: bags.name, trend: "rising" })
      const share = (c: Category, week: number): number => (byId.get(c.id) as { shares: number[] }).shares[10 + week]
      expect(share(shoes, 0)).toBeCloseTo(1, 5)
      expect(share(bags, 1)).toBeCloseTo(8 / 11, 5)
      expect(share(hats, 1)).toBeCloseTo(3 / 11, 5)
      for (const t of [10, 11]) {
        const sum = body.categories.reduce((s: number, c: { shares: number[] }) => s + c.shares[t], 0) + body.other[t]
        expect(sum).toBeCloseTo(1, 5)
      }
    })

    it("regroups weeks into months, cut to from/to, and reports only `limit` categories", async () => {
      const res = await api("/admin/interest/interests?period=month&from=2001-01-01&to=2001-02-01&limit=1", { token })
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({ period: "month", model_period: "week", from: "2001-01-01T00:00:00.000Z", to: "2001-02-01T00:00:00.000Z" })
      // Both weeks start in January: one period, the 11 customers' two weeks together.
      expect(res.body.periods).toEqual([{ start: "2001-01-01T00:00:00.000Z", customers: 11 }])
      expect(res.body.categories.map((c: { id: string }) => c.id)).toEqual([shoes.id])
      expect(res.body.categories[0].shares[0]).toBeCloseTo(0.5, 5)
      expect(res.body.other[0]).toBeCloseTo(0.5, 5)
    })

    it("explains an empty window instead of failing", async () => {
      const res = await api("/admin/interest/interests?from=1999-01-04&to=1999-02-01", { token })
      expect(res.status).toBe(200)
      expect(res.body.note).toMatch(/no customer history in this window/)
      expect(res.body.periods.every((p: { customers: number }) => p.customers === 0)).toBe(true)
      expect(res.body.categories).toEqual([])
    })
  })

  describe("GET /admin/interest/transitions", () => {
    it("answers the transition matrix with the customers behind each cell, small cells marked", async () => {
      const res = await api("/admin/interest/transitions", { token })
      expect(res.status).toBe(200)
      const body = res.body
      expect(body).toMatchObject({ model_version_id: first, period: "week", min_customers: 5, note: null })
      const ids = body.categories.map((c: { id: string }) => c.id)
      expect(new Set(ids)).toEqual(new Set([shoes.id, bags.id, hats.id]))
      expect(body.categories.find((c: { id: string }) => c.id === hats.id).name).toBe(hats.name)
      const row = body.rows.find((r: { id: string }) => r.id === shoes.id)
      expect(row).toMatchObject({ customers: 11, transitions: 11, sparse: false, other: 0 })
      const cell = (c: Category) => row.cells[ids.indexOf(c.id)]
      expect(cell(bags)).toEqual({ probability: expect.closeTo(8 / 11, 5), customers: 8, transitions: 8, sparse: false })
      expect(cell(hats)).toEqual({ probability: expect.closeTo(3 / 11, 5), customers: 3, transitions: 3, sparse: true })
      expect(cell(shoes)).toEqual({ probability: 0, customers: 0, transitions: 0, sparse: true })
      // Nobody's history goes on after bags.
      expect(body.rows.find((r: { id: string }) => r.id === bags.id)).toMatchObject({ customers: 0, sparse: true })
    })

    it("follows the active version: another model answers with its own transitions", async () => {
      await activate(second)
      try {
        const res = await api("/admin/interest/transitions", { token })
        expect(res.status).toBe(200)
        expect(res.body.model_version_id).toBe(second)
        const ids = res.body.categories.map((c: { id: string }) => c.id)
        const row = res.body.rows.find((r: { id: string }) => r.id === hats.id)
        expect(row.cells[ids.indexOf(shoes.id)]).toMatchObject({ probability: 1, customers: 6, sparse: false })
        expect(ids).not.toContain(bags.id)
      } finally {
        await activate(first)
      }
      expect((await api("/admin/interest/transitions", { token })).body.model_version_id).toBe(first)
    })
  })

  describe.each(["/admin/interest/interests", "/admin/interest/transitions"])("%s rejects bad queries", (path) => {
    it.each([
      ["period=year", /period must be one of the following values/],
      ["from=yesterday", /from must be a valid ISO 8601 date string/],
      ["to=2001-13-01", /to must be a valid ISO 8601 date string/],
      ["from=2001-02-01&to=2001-01-01", /from must be before to/],
      ["from=2001-01-01&to=2001-01-01", /from must be before to/],
      ["period=day", /keeps week periods, which cannot be split into days: period must be week or month/],
      ["from=1990-01-01&to=2001-01-01", /a report covers at most 366 periods/],
      ["limit=0", /limit must not be less than 1/],
      ["limit=x", /limit must be an integer/],
      ["unknown=1", /property unknown should not exist/],
    ])("?%s -> 400", async (query, message) => {
      const before = await activeIds()
      const res = await api(`${path}?${query}`, { token })
      expect(res.status).toBe(400)
      expect(res.body.type).toBe("invalid_data")
      expect(res.body.message).toMatch(message)
      expect(await activeIds()).toEqual(before)
    })
  })
})
