import { api, closeDb, createCustomer, products, sql, SeedProduct, settledTableChecksums, tableChecksums, TestCustomer, uniqueId } from "../support/harness"

/**
 * A visitor id is identified into one customer, once: another account gets a
 * 409 and changes nothing, an opted-out account touches no visitor's rows, and
 * an identified visitor id serves nothing anonymously. (The model's own state
 * of an identified visitor id is checked in erasure.spec.ts, which trains.)
 */
const eventsOf = async (where: string, params: unknown[]): Promise<{ customer_id: string | null; visitor_id: string | null; product_id: string }[]> =>
  await sql(`SELECT customer_id, visitor_id, product_id FROM interest_event WHERE ${where} ORDER BY product_id`, params)

/** What a list shows: products in order with their reasons (the list's own ids differ per request). */
const served = (body: { products: { id: string; reason_code?: string }[]; segment: unknown; cold: boolean }): unknown => ({
  products: body.products.map((p) => [p.id, p.reason_code]),
  segment: body.segment,
  cold: body.cold,
})

async function browse(visitor: string, viewed: SeedProduct[]): Promise<void> {
  const res = await api("/store/interest/events", { body: { visitor_id: visitor, events: viewed.map((p) => ({ type: "view", product_id: p.id })) } })
  expect(res.status).toBe(202)
  expect(res.body.accepted).toBe(viewed.length)
}

describe("identify: one visitor id, one customer, once", () => {
  let carol: TestCustomer
  let mallory: TestCustomer
  let viewed: SeedProduct[]
  let later: SeedProduct
  const visitor = uniqueId("vis")

  beforeAll(async () => {
    carol = await createCustomer()
    mallory = await createCustomer()
    // The catalogue's last products: not among the popular fill-ins every visitor gets.
    viewed = (await products(40)).slice(-3)
    await browse(visitor, viewed)
    const identified = await api("/store/interest/identify", { token: carol.token, body: { visitor_id: visitor } })
    expect(identified.status).toBe(200)
    expect(identified.body).toMatchObject({ customer_id: carol.id, visitor_id: visitor, moved: 3 })
    expect(await sql(`SELECT customer_id FROM interest_visitor_link WHERE visitor_id = $1`, [visitor])).toEqual([{ customer_id: carol.id }])
  })
  afterAll(closeDb)

  it("answers 409 to another account and changes no row of any plugin table", async () => {
    const before = await settledTableChecksums()
    expect(Object.keys(before)).toContain("interest_visitor_link")
    const res = await api("/store/interest/identify", { token: mallory.token, body: { visitor_id: visitor } })
    expect(res.status).toBe(409)
    expect(res.body.message).toBe("This visitor id is already identified with another customer.")
    expect(await tableChecksums()).toEqual(before)
    expect(await eventsOf(`customer_id = $1`, [mallory.id])).toEqual([])
  })

  it("is idempotent for the same customer", async () => {
    const before = await settledTableChecksums()
    const again = await api("/store/interest/identify", { token: carol.token, body: { visitor_id: visitor } })
    expect(again.status).toBe(200)
    expect(again.body.moved).toBe(0)
    expect(await tableChecksums()).toEqual(before)
  })

  it("stores later anonymous events of the visitor id as the customer's", async () => {
    ;[later] = await products(1)
    await browse(visitor, [later])
    const rows = await eventsOf(`visitor_id = $1`, [visitor])
    expect(rows).toHaveLength(4)
    expect(rows.every((r) => r.customer_id === carol.id)).toBe(true)
  })

  it("serves the identified visitor id without a session as an unknown shopper", async () => {
    for (const placement of ["recently_viewed", "for_you", "trending"]) {
      const asVisitor = await api(`/store/recommendations?placement=${placement}`, { headers: { "x-interest-visitor-id": visitor } })
      const stranger = await api(`/store/recommendations?placement=${placement}`, { headers: { "x-interest-visitor-id": uniqueId("fresh") } })
      expect(asVisitor.status).toBe(200)
      expect(served(asVisitor.body)).toEqual(served(stranger.body))
    }
    // Control: carol logged in sees what she viewed, under the visitor id before and after identify.
    const own = await api(`/store/recommendations?placement=recently_viewed`, { token: carol.token })
    expect(own.body.products.slice(0, 4).map((p: { id: string }) => p.id).sort()).toEqual([...viewed, later].map((p) => p.id).sort())
    // The visitor id's impressions name nobody.
    const named = await sql(`SELECT 1 FROM interest_impression WHERE visitor_id = $1`, [visitor])
    expect(named).toEqual([])
  })

  it("lets an opted-out account touch no other visitor's rows", async () => {
    const dave = await createCustomer()
    const erased = await api(`/store/customers/me/interests`, { token: dave.token, method: "DELETE" })
    expect(erased.status).toBe(200)
    const victim = uniqueId("vis")
    await browse(victim, viewed)
    const before = await settledTableChecksums()
    const res = await api("/store/interest/identify", { token: dave.token, body: { visitor_id: victim } })
    expect(res.status).toBe(200)
    expect(res.body.moved).toBe(0)
    expect(await tableChecksums()).toEqual(before)
    const rows = await eventsOf(`visitor_id = $1`, [victim])
    expect(rows).toHaveLength(3)
    expect(rows.every((r) => r.customer_id === null)).toBe(true)
    // The visitor can still identify into their own account afterwards.
    const owner = await createCustomer()
    const own = await api("/store/interest/identify", { token: owner.token, body: { visitor_id: victim } })
    expect(own.body.moved).toBe(3)
  })
})
