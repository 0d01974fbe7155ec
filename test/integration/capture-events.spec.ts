import { api, closeDb, createCustomer, eventBarrier, itState, products, sql, uniqueId, waitFor } from "../support/harness"

type Row = { id: string; type: string; product_id: string; customer_id: string | null; visitor_id: string | null; sales_channel_id: string | null; client_event_id: string; quantity: number; recommendation_id: string | null }

const eventsOf = (column: "visitor_id" | "customer_id", id: string): Promise<Row[]> =>
  sql<Row>(`SELECT * FROM interest_event WHERE ${column} = $1 ORDER BY occurred_at, id`, [id])

describe("POST /store/interest/events", () => {
  let catalogue: { id: string; variantId: string }[]

  beforeAll(async () => {
    catalogue = await products(10)
    expect(catalogue.length).toBeGreaterThanOrEqual(5)
  })
  afterAll(closeDb)

  it("stores an anonymous view, with the sales channel of the publishable key", async () => {
    const visitor = uniqueId("vis")
    const key = itState().seed.publishableKey
    expect(key).toBeTruthy()
    const res = await api("/store/interest/events", {
      body: { visitor_id: visitor, events: [{ type: "view", product_id: catalogue[0].id }] },
      headers: { "x-publishable-api-key": key as string },
    })
    expect(res.status).toBe(202)
    expect(res.body).toMatchObject({ accepted: 1, rejected: 0, duplicates: 0 })
    expect(res.body.results[0]).toMatchObject({ index: 0, status: "accepted" })

    const rows = await waitFor(async () => {
      const r = await eventsOf("visitor_id", visitor)
      return r.length ? r : null
    })
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ type: "view", product_id: catalogue[0].id, customer_id: null, quantity: 1 })
    const [channel] = await sql<{ sales_channel_id: string }>(
      `SELECT sales_channel_id FROM publishable_api_key_sales_channel WHERE publishable_key_id = $1`,
      [key]
    )
    expect(rows[0].sales_channel_id).toBe(channel.sales_channel_id)
    expect(rows[0].id).toBe(res.body.results[0].id)
  })

  it("takes the customer from the logged-in session and keeps every field", async () => {
    const customer = await createCustomer()
    const clientId = uniqueId("ce")
    const occurredAt = new Date(Date.now() - 3600_000).toISOString()
    // A list served to this customer, so its recommendation_id is kept.
    const list = await api("/store/recommendations?placement=trending&limit=6", { token: customer.token })
    expect(list.status).toBe(200)
    const [shown] = list.body.products as { id: string; variants: { id: string }[] }[]
    const res = await api("/store/interest/events", {
      token: customer.token,
      body: {
        events: [
          {
            type: "add_to_cart",
            product_id: shown.id,
            variant_id: shown.variants[0].id,
            quantity: 3,
            client_event_id: clientId,
            occurred_at: occurredAt,
            recommendation_id: list.body.recommendation_id,
          },
          { type: "wishlist", product_id: catalogue[2].id },
        ],
      },
    })
    expect(res.status).toBe(202)
    expect(res.body.accepted).toBe(2)
    expect(res.body.results[0]).toMatchObject({ status: "accepted", attributed: true })
    expect(res.body.results[1].attributed).toBeUndefined()
    const rows = await waitFor(async () => {
      const r = await eventsOf("customer_id", customer.id)
      return r.length === 2 ? r : null
    })
    expect(rows[0]).toMatchObject({
      type: "add_to_cart",
      product_id: shown.id,
      variant_id: shown.variants[0].id,
      quantity: 3,
      client_event_id: clientId,
      recommendation_id: list.body.recommendation_id,
      visitor_id: null,
    })
    expect(new Date((rows[0] as unknown as { occurred_at: string }).occurred_at).toISOString()).toBe(occurredAt)
    expect(rows[1].type).toBe("wishlist")
  })

  it("keeps the good events of a batch and names the bad one", async () => {
    const visitor = uniqueId("vis")
    const res = await api("/store/interest/events", {
      body: {
        visitor_id: visitor,
        events: [
          { type: "view", product_id: catalogue[0].id },
          { type: "teleport", product_id: catalogue[1].id },
          { type: "view", product_id: "prod_does_not_exist" },
          { type: "add_to_cart", product_id: catalogue[3].id },
        ],
      },
    })
    expect(res.status).toBe(202)
    expect(res.body).toMatchObject({ accepted: 2, rejected: 2 })
    expect(res.body.results[1]).toMatchObject({ index: 1, status: "rejected" })
    expect(res.body.results[1].reason).toMatch(/type must be one of/)
    expect(res.body.results[2].reason).toMatch(/prod_does_not_exist does not exist/)
    const rows = await waitFor(async () => {
      const r = await eventsOf("visitor_id", visitor)
      return r.length === 2 ? r : null
    })
    expect(rows.map((r) => r.product_id).sort()).toEqual([catalogue[0].id, catalogue[3].id].sort())
  })

  it("stores the same client event id once, within a batch and across retries", async () => {
    const visitor = uniqueId("vis")
    const clientId = uniqueId("ce")
    const event = { type: "view", product_id: catalogue[4].id, client_event_id: clientId }
    const first = await api("/store/interest/events", { body: { visitor_id: visitor, events: [event, event] } })
    expect(first.status).toBe(202)
    expect(first.body).toMatchObject({ accepted: 1, duplicates: 1 })
    await waitFor(async () => (await eventsOf("visitor_id", visitor)).length === 1)

    const retry = await api("/store/interest/events", { body: { visitor_id: visitor, event } })
    expect(retry.status).toBe(202)
    expect(retry.body).toMatchObject({ accepted: 0, duplicates: 1 })
    // A later event of the same visitor stored proves the retry was handled past where it could have written.
    const marker = await eventBarrier(catalogue[4].id, visitor)
    expect((await eventsOf("visitor_id", visitor)).map((r) => r.id)).toEqual([first.body.results[0].id, marker])
    const rows = await sql(`SELECT id FROM interest_event WHERE client_event_id = $1`, [clientId])
    expect(rows).toHaveLength(1)
  })

  it("captures nothing for a customer who opted out", async () => {
    const customer = await createCustomer()
    // The opt-out list holds digests of the ids (src/repositories/sql/opt-out-key.ts).
    await sql(`INSERT INTO interest_opt_out (subject_id, subject_type) VALUES (encode(sha256(convert_to($1, 'UTF8')), 'hex'), 'customer')`, [customer.id])
    const res = await api("/store/interest/events", {
      token: customer.token,
      body: { events: [{ type: "view", product_id: catalogue[0].id }] },
    })
    expect(res.status).toBe(202)
    expect(res.body).toMatchObject({ accepted: 0, ignored: 1 })
    // Another shopper's event stored after it proves the ignored one was handled past where it could have been stored.
    await eventBarrier(catalogue[0].id)
    expect(await eventsOf("customer_id", customer.id)).toHaveLength(0)
  })
})

describe("POST /store/interest/identify", () => {
  afterAll(closeDb)

  it("moves a visitor's earlier events to the customer who logs in", async () => {
    const [p1, p2] = await products(2)
    const visitor = uniqueId("vis")
    const res = await api("/store/interest/events", {
      body: { visitor_id: visitor, events: [{ type: "view", product_id: p1.id }, { type: "view", product_id: p2.id }] },
    })
    expect(res.status).toBe(202)
    await waitFor(async () => (await eventsOf("visitor_id", visitor)).length === 2)

    const customer = await createCustomer()
    const anonymous = await api("/store/interest/identify", { body: { visitor_id: visitor } })
    expect(anonymous.status).toBe(401)

    const identified = await api("/store/interest/identify", { token: customer.token, body: { visitor_id: visitor } })
    expect(identified.status).toBe(200)
    expect(identified.body).toMatchObject({ customer_id: customer.id, moved: 2 })
    const rows = await eventsOf("customer_id", customer.id)
    expect(rows.map((r) => r.product_id).sort()).toEqual([p1.id, p2.id].sort())
    expect(rows.every((r) => r.visitor_id === visitor)).toBe(true)

    const bad = await api("/store/interest/identify", { token: customer.token, body: { visitor_id: "x" } })
    expect(bad.status).toBe(400)
  })
})
