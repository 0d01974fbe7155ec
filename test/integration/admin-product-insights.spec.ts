import { api, closeDb, impressionBarrier, products, sql, uniqueId, waitFor } from "../support/harness"

async function adminToken(): Promise<string> {
  const res = await api("/admin/auth/token", { body: { email: "admin@example.com", password: "supersecret" } })
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body.access_token
}

// A window no other file writes into, so the counts are exactly this file's rows.
const FROM = "2001-05-06T00:00:00.000Z"
const TO = "2001-05-07T00:00:00.000Z"
const T0 = "2001-05-06T10:00:00.000Z"
const at = (iso: string, plusHours = 0): string => new Date(new Date(iso).getTime() + plusHours * 3600_000).toISOString()

async function impression(placement: string, productIds: string[], createdAt: string): Promise<string> {
  const id = uniqueId("irid")
  await sql(
    `INSERT INTO interest_impression (id, placement, context_id, product_ids, customer_id, created_at) VALUES ($1, $2, '', $3, NULL, $4)`,
    [id, placement, JSON.stringify(productIds), createdAt]
  )
  return id
}

async function event(type: string, customer: string, product: string, occurredAt: string, recommendationId: string | null = null) {
  await sql(
    `INSERT INTO interest_event (id, customer_id, product_id, type, occurred_at, recommendation_id) VALUES ($1, $2, $3, $4, $5, $6)`,
    [uniqueId("iev"), customer, product, type, occurredAt, recommendationId]
  )
}

describe("GET /admin/interest/products/:id", () => {
  let token: string
  let P: string
  const X = uniqueId("prod_other")
  const Y = uniqueId("prod_other")
  const [c1, c2] = [uniqueId("cus"), uniqueId("cus")]

  beforeAll(async () => {
    token = await adminToken()
    ;[{ id: P }] = await products(1)
    // Lists in the window: two showed P (one per placement), one did not.
    const i1 = await impression("for_you", [P, X], T0)
    const i2 = await impression("for_you", [X], T0)
    const i3 = await impression("related", [Y, P], at(T0, 1))
    const before = await impression("for_you", [P], "2001-05-05T12:00:00.000Z")

    await event("click", c1, P, at(T0, 1), i1)
    await event("click", c1, X, at(T0, 1), i1) // another product of the same list
    await event("add_to_cart", c1, P, at(T0, 2), i1)
    await event("purchase", c1, P, at(T0, 30)) // within 7 days of the add-to-cart: for_you
    await event("click", c2, P, at(T0, 2), i3)
    await event("purchase", c2, P, at(T0, 2 + 8 * 24)) // 8 days after the click: too late
    await event("click", c2, X, at(T0, 2), i2)
    await event("purchase", c2, X, at(T0, 3)) // not this product
    await event("click", c1, P, at(T0, 1), before) // a list served before the window
  })
  afterAll(closeDb)

  it("needs an admin", async () => {
    const res = await api(`/admin/interest/products/${P}`)
    expect(res.status).toBe(401)
  })

  it("answers 404 for an unknown or deleted product", async () => {
    const unknown = await api(`/admin/interest/products/prod_does_not_exist`, { token })
    expect(unknown.status).toBe(404)
    expect(unknown.body.type).toBe("not_found")
  })

  it.each(["limit=0", "limit=51", "limit=abc", "from=yesterday", `from=${TO}&to=${FROM}`, "placement=related"])(
    "answers 400 to ?%s",
    async (q) => {
      const res = await api(`/admin/interest/products/${P}?${q}`, { token })
      expect(res.status).toBe(400)
      expect(res.body.type).toBe("invalid_data")
    }
  )

  it("counts this product's impressions, clicks, add-to-carts and attributed purchases per placement", async () => {
    const res = await api(`/admin/interest/products/${P}?from=${FROM}&to=${TO}`, { token })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ product_id: P, from: FROM, to: TO, attribution_window_days: 7 })
    expect(res.body.placements).toEqual([
      { placement: "for_you", impressions: 1, clicks: 1, add_to_carts: 1, purchases: 1, ctr: 1, conversion: 1 },
      { placement: "related", impressions: 1, clicks: 1, add_to_carts: 0, purchases: 0, ctr: 1, conversion: 0 },
    ])
    expect(res.body.totals).toEqual({ impressions: 2, clicks: 2, add_to_carts: 1, purchases: 1, ctr: 1, conversion: 0.5 })
  })

  it("answers the related list the storefront shows on the product's page, without recording an impression", async () => {
    const store = await api(`/store/recommendations?placement=related&product_id=${P}&limit=6`)
    expect(store.status).toBe(200)
    // The store's impression is written off the request path: let it land
    // first, so the count below sees only what the admin route writes.
    await waitFor(async () => (await sql(`SELECT 1 FROM interest_impression WHERE id = $1`, [store.body.recommendation_id])).length > 0)

    const impressions = async (): Promise<number> =>
      Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM interest_impression WHERE context_id = $1`, [P]))[0].n)
    const before = await impressions()
    const res = await api(`/admin/interest/products/${P}?limit=6`, { token })
    expect(res.status).toBe(200)
    // The store's list queued after the admin call is stored, so anything the admin call queued is too.
    await impressionBarrier(`placement=related&product_id=${P}&limit=6`)
    expect(await impressions()).toBe(before + 1)

    const related: { product_id: string; title: string | null; reason: string }[] = res.body.related
    expect(related.length).toBeGreaterThan(0)
    expect(related.length).toBeLessThanOrEqual(6)
    expect(related.map((r) => r.product_id)).not.toContain(P)
    expect(related.map((r) => r.product_id)).toEqual(store.body.products.map((p: { id: string }) => p.id))
    expect(res.body.model_version_id).toBe(store.body.model_version_id)
    const titles = await sql<{ id: string; title: string }>(`SELECT id, title FROM product WHERE id = ANY($1)`, [related.map((r) => r.product_id)])
    const titleOf = new Map(titles.map((t) => [t.id, t.title]))
    for (const r of related) {
      expect(r.title).toBe(titleOf.get(r.product_id))
      expect(typeof r.reason).toBe("string")
    }
  })

  it("defaults to the last 30 days", async () => {
    const res = await api(`/admin/interest/products/${P}`, { token })
    expect(res.status).toBe(200)
    expect(new Date(res.body.to).getTime() - new Date(res.body.from).getTime()).toBe(30 * 24 * 3600_000)
    // Only the lists of the window that showed P count, not this file's 2001 rows.
    const [{ n }] = await sql<{ n: string }>(
      `SELECT count(*) AS n FROM interest_impression WHERE created_at >= $1 AND created_at < $2 AND product_ids @> jsonb_build_array($3::text)`,
      [res.body.from, res.body.to, P]
    )
    expect(res.body.totals.impressions).toBe(Number(n))
  })
})
