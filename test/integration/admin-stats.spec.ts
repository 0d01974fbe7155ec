import { api, closeDb, sql, uniqueId } from "../support/harness"

async function adminToken(): Promise<string> {
  const res = await api("/admin/auth/token", { body: { email: "admin@example.com", password: "supersecret" } })
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body.access_token
}

// A window no other file writes into, so totals are exactly this file's rows.
const FROM = "2001-02-03T00:00:00.000Z"
const TO = "2001-02-04T00:00:00.000Z"
const at = (iso: string, plusHours = 0): string => new Date(new Date(iso).getTime() + plusHours * 3600_000).toISOString()
const T0 = "2001-02-03T10:00:00.000Z"

async function impression(placement: string, createdAt: string): Promise<string> {
  const id = uniqueId("irid")
  await sql(
    `INSERT INTO interest_impression (id, placement, context_id, product_ids, customer_id, created_at) VALUES ($1, $2, '', '[]', NULL, $3)`,
    [id, placement, createdAt]
  )
  return id
}

async function event(type: string, customer: string, product: string, occurredAt: string, recommendationId: string | null = null) {
  await sql(
    `INSERT INTO interest_event (id, customer_id, product_id, type, occurred_at, recommendation_id) VALUES ($1, $2, $3, $4, $5, $6)`,
    [uniqueId("iev"), customer, product, type, occurredAt, recommendationId]
  )
}

describe("GET /admin/interest/stats", () => {
  let token: string
  const p1 = uniqueId("pl_for_you")
  const p2 = uniqueId("pl_related")
  const [c1, c2, c3] = [uniqueId("cus"), uniqueId("cus"), uniqueId("cus")]
  const [pA, pB, pC, pD] = [uniqueId("prod"), uniqueId("prod"), uniqueId("prod"), uniqueId("prod")]

  beforeAll(async () => {
    token = await adminToken()
    // p1: 5 impressions in the window, one before it.
    const [i1, i2, i3] = [await impression(p1, T0), await impression(p1, T0), await impression(p1, T0)]
    await impression(p1, at(T0, 1))
    await impression(p1, at(T0, 2))
    const outside = await impression(p1, "2001-02-02T23:00:00.000Z")
    // p2: 2 impressions.
    const j1 = await impression(p2, at(T0, 1))
    await impression(p2, at(T0, 1))

    // Clicks and add-to-carts on p1's lists; c1's second click on pA in i1 is the same click again.
    await event("click", c1, pA, at(T0, 1), i1)
    await event("click", c1, pA, at(T0, 2), i1)
    await event("add_to_cart", c1, pA, at(T0, 3), i1)
    await event("click", c2, pB, at(T0, 1), i2)
    await event("click", c3, pD, at(T0, 1), i3)
    // Not counted: a list served before the window, a view, an event without a list.
    await event("click", c1, pA, at(T0, 1), outside)
    await event("view", c1, pA, at(T0, 1), i1)
    await event("click", c2, pC, at(T0, 1), null)
    // p2: c3 puts pD in the cart from p2 after clicking it on p1.
    await event("add_to_cart", c3, pD, at(T0, 2), j1)

    // Purchases.
    await event("purchase", c1, pA, at(T0, 3 + 48)) // 2 days after the add-to-cart: p1
    await event("purchase", c2, pB, at(T0, 1 + 8 * 24)) // 8 days after the click: too late
    await event("purchase", c1, pC, at(T0, 5)) // never shown: not attributed
    await event("purchase", c3, pD, at(T0, 3)) // last touch is p2's add-to-cart: p2 only
    await event("purchase", c2, pA, at(T0, 5)) // another customer's click does not count
    await event("purchase", c1, pA, at(T0, 0)) // before any touch
  })
  afterAll(closeDb)

  it("counts impressions, clicks, add-to-carts and attributed purchases per placement", async () => {
    const res = await api(`/admin/interest/stats?from=${FROM}&to=${TO}`, { token })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ from: FROM, to: TO, attribution_window_days: 7 })
    const byPlacement = Object.fromEntries(res.body.placements.map((p: { placement: string }) => [p.placement, p]))
    expect(byPlacement[p1]).toEqual({
      placement: p1,
      impressions: 5,
      clicks: 3,
      add_to_carts: 1,
      purchases: 1,
      ctr: 0.6,
      conversion: 0.2,
    })
    expect(byPlacement[p2]).toEqual({
      placement: p2,
      impressions: 2,
      clicks: 0,
      add_to_carts: 1,
      purchases: 1,
      ctr: 0,
      conversion: 0.5,
    })
    expect(res.body.totals).toEqual({
      impressions: 7,
      clicks: 3,
      add_to_carts: 2,
      purchases: 2,
      ctr: 3 / 7,
      conversion: 2 / 7,
    })
  })

  it("answers zeros for a window without impressions", async () => {
    const res = await api(`/admin/interest/stats?from=1990-01-01T00:00:00Z&to=1990-01-02T00:00:00Z`, { token })
    expect(res.status).toBe(200)
    expect(res.body.placements).toEqual([])
    expect(res.body.totals).toEqual({ impressions: 0, clicks: 0, add_to_carts: 0, purchases: 0, ctr: 0, conversion: 0 })
  })

  it("treats `to` as exclusive and defaults to the last 30 days", async () => {
    const narrow = await api(`/admin/interest/stats?from=${FROM}&to=${at(T0, 1)}`, { token })
    const byPlacement = Object.fromEntries(narrow.body.placements.map((p: { placement: string }) => [p.placement, p]))
    expect(byPlacement[p1]).toMatchObject({ impressions: 3, clicks: 3 })
    expect(byPlacement[p2]).toBeUndefined()
    const recent = await api(`/admin/interest/stats`, { token })
    expect(recent.status).toBe(200)
    expect(new Date(recent.body.to).getTime() - new Date(recent.body.from).getTime()).toBe(30 * 24 * 3600_000)
  })

  it.each(["from=yesterday", "to=2001-13-45", `from=${TO}&to=${FROM}`, "placement=x"])("answers 400 to ?%s", async (q) => {
    const res = await api(`/admin/interest/stats?${q}`, { token })
    expect(res.status).toBe(400)
    expect(res.body.type).toBe("invalid_data")
  })
})
