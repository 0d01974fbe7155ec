import { api, closeDb, createCustomer, eventBarrier, products, sql, TestCustomer, uniqueId } from "../support/harness"

async function adminToken(): Promise<string> {
  const res = await api("/admin/auth/token", { body: { email: "admin@example.com", password: "supersecret" } })
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body.access_token
}

const count = async (table: string, column: string, id: string): Promise<number> =>
  Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE ${column} = $1`, [id]))[0].n)

/** What training and serving store about a customer. */
async function learnAbout(customer: string, model: string, segment: string): Promise<void> {
  for (const [type, hoursAgo] of [["view", 5], ["purchase", 3]] as const) {
    await sql(
      `INSERT INTO interest_event (id, customer_id, product_id, type, occurred_at) VALUES ($1, $2, 'prod_x', $3, now() - make_interval(hours => $4))`,
      [uniqueId("iev"), customer, type, hoursAgo]
    )
  }
  for (const [start, vector] of [
    ["2024-03-04T00:00:00Z", { pcat_a: 1 }],
    ["2024-03-11T00:00:00Z", { pcat_b: 0.7, pcat_a: 0.3 }],
  ] as const) {
    await sql(
      `INSERT INTO interest_profile (id, subject_id, subject_type, dimension, period, period_start, vector, event_count)
       VALUES ($1, $2, 'customer', 'category', 'week', $3, $4, 3)`,
      [uniqueId("iprof"), customer, start, JSON.stringify(vector)]
    )
  }
  await sql(`INSERT INTO interest_segment_member (segment_id, customer_id, distance, model_version_id) VALUES ($1, $2, 0.1, $3)`, [
    segment,
    customer,
    model,
  ])
  await sql(
    `INSERT INTO interest_recommendation (id, model_version_id, subject_id, placement, context_id, items) VALUES ($1, $2, $3, 'for_you', '', '[]')`,
    [uniqueId("irec"), model, customer]
  )
  await sql(
    `INSERT INTO interest_impression (id, placement, context_id, product_ids, customer_id) VALUES ($1, 'for_you', '', '["prod_x"]', $2)`,
    [uniqueId("irid"), customer]
  )
}

describe("/store/customers/me/interests", () => {
  let alice: TestCustomer
  let bob: TestCustomer
  let model: string
  let segment: string

  beforeAll(async () => {
    alice = await createCustomer()
    bob = await createCustomer()
    model = uniqueId("imv")
    await sql(`INSERT INTO interest_model_version (id, status, metrics) VALUES ($1, 'ready', '{}')`, [model])
    segment = uniqueId("iseg")
    await sql(`INSERT INTO interest_segment (id, name, auto_name, size, model_version_id) VALUES ($1, 'Bag lovers', 'bags', 2, $2)`, [
      segment,
      model,
    ])
    await learnAbout(alice.id, model, segment)
    await learnAbout(bob.id, model, segment)
  })
  afterAll(closeDb)

  it("answers 401 without a logged-in customer", async () => {
    expect((await api(`/store/customers/me/interests`)).status).toBe(401)
    expect((await api(`/store/customers/me/interests`, { method: "DELETE" })).status).toBe(401)
    expect((await api(`/store/customers/me/interests`, { token: "not-a-jwt" })).status).toBe(401)
    // Nothing was erased by the refused DELETE.
    expect(await count("interest_event", "customer_id", alice.id)).toBe(2)
  })

  it("answers the caller's own newest profile and segment", async () => {
    const res = await api(`/store/customers/me/interests`, { token: alice.token })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      customer_id: alice.id,
      segment: { id: segment, name: "Bag lovers" },
      predicted: null,
      opted_out: false,
    })
    expect(res.body.profiles).toHaveLength(1)
    expect(res.body.profiles[0]).toMatchObject({
      dimension: "category",
      period: "week",
      period_start: "2024-03-11T00:00:00.000Z",
      vector: { pcat_b: 0.7, pcat_a: 0.3 },
    })
    expect(res.body.profiles[0].top_interests.map((t: { id: string }) => t.id)).toEqual(["pcat_b", "pcat_a"])
    expect(Object.keys(res.body.segment)).toEqual(["id", "name"])
  })

  it("never answers another customer's interests", async () => {
    const fresh = await createCustomer()
    const res = await api(`/store/customers/me/interests?customer_id=${alice.id}`, { token: fresh.token })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ customer_id: fresh.id, profiles: [], segment: null, opted_out: false })
    const asBob = await api(`/store/customers/me/interests`, { token: bob.token })
    expect(asBob.body.customer_id).toBe(bob.id)
  })

  it("DELETE erases the caller's rows in one go, opts them out, and leaves others alone", async () => {
    const admin = await adminToken()
    await sql(`INSERT INTO interest_segment_member (segment_id, customer_id, distance) VALUES ($1, $2, 0.2)`, [segment, (await createCustomer()).id])
    const synced = await api(`/admin/interest/segments/${segment}/sync-customer-group`, { token: admin, body: {} })
    expect(synced.status).toBe(200)
    const groupId = synced.body.customer_group.id

    const res = await api(`/store/customers/me/interests`, { token: alice.token, method: "DELETE" })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      customer_id: alice.id,
      opted_out: true,
      deleted: {
        events: 2,
        profiles: 2,
        segment_memberships: 1,
        recommendations: 1,
        impressions: 1,
        customer_groups: 1,
        visitor_ids: 0,
        model_versions: 0,
      },
    })
    expect(await count("interest_event", "customer_id", alice.id)).toBe(0)
    expect(await count("interest_profile", "subject_id", alice.id)).toBe(0)
    expect(await count("interest_segment_member", "customer_id", alice.id)).toBe(0)
    expect(await count("interest_recommendation", "subject_id", alice.id)).toBe(0)
    expect(await count("interest_impression", "customer_id", alice.id)).toBe(0)
    const groupMembers = await sql<{ customer_id: string }>(
      `SELECT customer_id FROM customer_group_customers WHERE customer_group_id = $1`,
      [groupId]
    )
    expect(groupMembers.map((r) => r.customer_id)).not.toContain(alice.id)
    expect(groupMembers.map((r) => r.customer_id)).toContain(bob.id)
    // The opt-out list keeps a digest of the id, not the id.
    const optOut = await sql(
      `SELECT subject_type, reason FROM interest_opt_out WHERE subject_id = encode(sha256(convert_to($1, 'UTF8')), 'hex')`,
      [alice.id]
    )
    expect(optOut).toEqual([{ subject_type: "customer", reason: "customer request" }])
    expect(await count("interest_opt_out", "subject_id", alice.id)).toBe(0)

    for (const [table, column] of [
      ["interest_event", "customer_id"],
      ["interest_profile", "subject_id"],
      ["interest_segment_member", "customer_id"],
      ["interest_recommendation", "subject_id"],
      ["interest_impression", "customer_id"],
    ]) {
      expect(await count(table, column, bob.id)).toBeGreaterThan(0)
    }

    const after = await api(`/store/customers/me/interests`, { token: alice.token })
    expect(after.body).toMatchObject({ customer_id: alice.id, profiles: [], segment: null, opted_out: true })

    // Erasing twice is harmless.
    const again = await api(`/store/customers/me/interests`, { token: alice.token, method: "DELETE" })
    expect(again.status).toBe(200)
    expect(again.body.deleted).toEqual({
      events: 0,
      profiles: 0,
      segment_memberships: 0,
      recommendations: 0,
      impressions: 0,
      customer_groups: 0,
      visitor_ids: 0,
      model_versions: 0,
    })
  })

  it("ignores the events of a customer who erased their interests", async () => {
    const [product] = await products(1)
    const res = await api(`/store/interest/events`, {
      token: alice.token,
      body: { events: [{ type: "view", product_id: product.id }] },
    })
    expect(res.status).toBe(202)
    expect(res.body).toMatchObject({ accepted: 0, ignored: 1 })
    // Another shopper's event stored after it proves the ignored one was handled past where it could have been stored.
    await eventBarrier(product.id)
    expect(await count("interest_event", "customer_id", alice.id)).toBe(0)
  })
})
