import { api, closeDb, products, sql, uniqueId, waitFor } from "../support/harness"

async function adminToken(): Promise<string> {
  const res = await api("/admin/auth/token", { body: { email: "admin@example.com", password: "supersecret" } })
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body.access_token
}

// A window no other file writes into, so the numbers are exactly this file's rows.
const FROM = "2002-07-01T00:00:00.000Z"
const TO = "2002-07-02T00:00:00.000Z"
const T0 = "2002-07-01T08:00:00.000Z"

/** `count` events of `type` on `product` by one shopper, a second apart from T0. */
async function events(product: string, shopper: { customer?: string; visitor?: string }, type: string, count: number): Promise<void> {
  const prefix = uniqueId("iev")
  await sql(
    `INSERT INTO interest_event (id, customer_id, visitor_id, product_id, type, occurred_at)
     SELECT $1 || '_' || g, $2, $3, $4, $5, $6::timestamptz + make_interval(secs => g)
     FROM generate_series(1, $7) g`,
    [prefix, shopper.customer ?? null, shopper.visitor ?? null, product, type, T0, count]
  )
}

describe("admin top contributors", () => {
  let token: string
  let A: string, B: string, C: string, D: string, E: string, F: string
  const floodVisitor = uniqueId("flood_visitor")

  beforeAll(async () => {
    token = await adminToken()
    const all = (await products(40)).map((p) => p.id)
    ;[A, B, C, D, E] = all.slice(30, 35)
    F = all[39]
    // A: one visitor floods it (250 views + 10 add-to-carts), 5 others look once.
    await events(A, { visitor: floodVisitor }, "view", 250)
    await events(A, { visitor: floodVisitor }, "add_to_cart", 10)
    for (let i = 0; i < 5; i++) await events(A, { visitor: uniqueId("v") }, "view", 1)
    // B: organically popular, 40 customers with 2 views and 1 add-to-cart each.
    for (let i = 0; i < 40; i++) {
      const customer = uniqueId("cus")
      await events(B, { customer }, "view", 2)
      await events(B, { customer }, "add_to_cart", 1)
    }
    // C: one logged-in customer adds it to the cart 40 times, 2 visitors look once.
    await events(C, { customer: uniqueId("cus_flood"), visitor: uniqueId("v") }, "add_to_cart", 40)
    for (let i = 0; i < 2; i++) await events(C, { visitor: uniqueId("v") }, "view", 1)
    // D: a niche product one shopper looked at 3 times: concentrated, but no volume.
    await events(D, { visitor: uniqueId("v") }, "view", 3)
    // E: 8 visitors with 30 views each: no single one dominates, the few together do.
    for (let i = 0; i < 8; i++) await events(E, { visitor: uniqueId("v") }, "view", 30)
  })
  afterAll(closeDb)

  const contributors = async (product: string, q = `from=${FROM}&to=${TO}`) => {
    const res = await api(`/admin/interest/products/${product}/contributors?${q}`, { token })
    expect(res.status).toBe(200)
    return res.body
  }

  it("needs an admin", async () => {
    expect((await api(`/admin/interest/products/${A}/contributors`)).status).toBe(401)
    expect((await api(`/admin/interest/contributors/suspicious`)).status).toBe(401)
  })

  it("flags the product one visitor flooded, with its signal, shoppers and shares", async () => {
    const body = await contributors(A)
    expect(body).toMatchObject({ from: FROM, to: TO, rule: { top1Share: 0.5, top1MinEvents: 20, top10Share: 0.8, top10MinEvents: 200 } })
    const c = body.contributors
    expect(c).toMatchObject({
      product_id: A,
      signal: 250 + 10 * 3 + 5,
      events: 265,
      shoppers: 6,
      customers: 0,
      visitors: 6,
      top_1_events: 260,
      top_10_events: 265,
      top_10_share: 1,
      suspicious: true,
      suspicious_reasons: ["top_1_share", "top_10_share"],
    })
    expect(c.top_1_share).toBeCloseTo(280 / 285, 10)
    expect(typeof c.title).toBe("string")
    expect(c.top_contributors).toHaveLength(6)
    expect(c.top_contributors[0]).toEqual({ rank: 1, subject_type: "visitor", customer_id: null, events: 260, signal: 280, share: 280 / 285 })
    // Visitor ids are secrets: the admin sees that it was an anonymous visitor, not which.
    expect(JSON.stringify(body)).not.toContain(floodVisitor)
  })

  it("does not flag an organically popular product", async () => {
    const c = (await contributors(B)).contributors
    expect(c).toMatchObject({ signal: 200, events: 120, shoppers: 40, customers: 40, visitors: 0, suspicious: false, suspicious_reasons: [] })
    expect(c.top_1_share).toBeCloseTo(5 / 200, 10)
    expect(c.top_10_share).toBeCloseTo(50 / 200, 10)
    expect(c.top_contributors).toHaveLength(10)
    expect(c.top_contributors[0]).toMatchObject({ subject_type: "customer", events: 3, signal: 5 })
  })

  it("flags one customer's flood by its share, a few shoppers' flood by the top 10, and not a niche product without volume", async () => {
    const c = (await contributors(C)).contributors
    expect(c).toMatchObject({ signal: 122, shoppers: 3, customers: 1, visitors: 2, suspicious: true, suspicious_reasons: ["top_1_share"] })
    expect(c.top_contributors[0]).toMatchObject({ subject_type: "customer", events: 40, signal: 120 })
    expect(c.top_contributors[0].customer_id).toMatch(/^cus_flood/)

    const e = (await contributors(E)).contributors
    expect(e).toMatchObject({ signal: 240, shoppers: 8, top_1_share: 30 / 240, top_10_share: 1, suspicious: true, suspicious_reasons: ["top_10_share"] })

    const d = (await contributors(D)).contributors
    expect(d).toMatchObject({ signal: 3, shoppers: 1, top_1_share: 1, suspicious: false })
  })

  it("answers zeros for a product without events in the window, and 404 for an unknown one", async () => {
    const c = (await contributors(A, "from=2002-06-01T00:00:00.000Z&to=2002-06-02T00:00:00.000Z")).contributors
    expect(c).toMatchObject({ product_id: A, signal: 0, events: 0, shoppers: 0, top_1_share: 0, suspicious: false, top_contributors: [] })
    const unknown = await api(`/admin/interest/products/prod_does_not_exist/contributors`, { token })
    expect(unknown.status).toBe(404)
    expect(unknown.body.type).toBe("not_found")
  })

  it("lists the flagged products of the window, heaviest signal first, up to the limit", async () => {
    const res = await api(`/admin/interest/contributors/suspicious?from=${FROM}&to=${TO}`, { token })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ from: FROM, to: TO, limit: 20, count: 3 })
    expect(res.body.products.map((p: { product_id: string }) => p.product_id)).toEqual([A, E, C])
    const limited = await api(`/admin/interest/contributors/suspicious?from=${FROM}&to=${TO}&limit=2`, { token })
    expect(limited.body.products.map((p: { product_id: string }) => p.product_id)).toEqual([A, E])
  })

  it("flags a product a visitor floods through the store API, in the default window of the last 30 days", async () => {
    const visitor = uniqueId("api_flood")
    for (let r = 0; r < 3; r++) {
      const res = await api("/store/interest/events", {
        body: { visitor_id: visitor, events: Array.from({ length: 100 }, (_, i) => ({ type: "view", product_id: F, client_event_id: `${visitor}_${r}_${i}` })) },
      })
      expect(res.status).toBe(202)
    }
    const c = await waitFor(async () => {
      const body = await contributors(F, "")
      return body.contributors.top_1_events >= 300 ? body.contributors : null
    })
    expect(c.suspicious).toBe(true)
    expect(c.suspicious_reasons).toContain("top_1_share")
    const list = await api(`/admin/interest/contributors/suspicious?limit=100`, { token })
    expect(list.status).toBe(200)
    expect(list.body.products.map((p: { product_id: string }) => p.product_id)).toContain(F)
  })

  it.each([
    ["products/x/contributors", "from=yesterday"],
    ["products/x/contributors", `from=${TO}&to=${FROM}`],
    ["products/x/contributors", "limit=5"],
    ["contributors/suspicious", "limit=0"],
    ["contributors/suspicious", "limit=101"],
    ["contributors/suspicious", "limit=abc"],
    ["contributors/suspicious", "to=2002-13-01"],
    ["contributors/suspicious", "product_id=prod_1"],
  ])("answers 400 to %s?%s", async (route, q) => {
    const res = await api(`/admin/interest/${route.replace("products/x", `products/${A}`)}?${q}`, { token })
    expect(res.status).toBe(400)
    expect(res.body.type).toBe("invalid_data")
  })
})
