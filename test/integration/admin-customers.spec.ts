import { api, closeDb, createCustomer, sql, TestCustomer, uniqueId } from "../support/harness"

async function adminToken(): Promise<string> {
  const res = await api("/admin/auth/token", { body: { email: "admin@example.com", password: "supersecret" } })
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body.access_token
}

describe("GET /admin/interest/customers/:id", () => {
  let token: string
  let customer: TestCustomer
  let categories: { id: string; name: string }[]
  let active: string
  let stale: string
  let segment: string
  let previousActive: string[]

  beforeAll(async () => {
    token = await adminToken()
    customer = await createCustomer()
    categories = await sql<{ id: string; name: string }>(`SELECT id, name FROM product_category ORDER BY id LIMIT 3`)
    expect(categories.length).toBe(3)
    const [c1, c2, c3] = categories.map((c) => c.id)

    // What a training run writes: weekly profiles, a segment, precomputed lists.
    const profile = (period: string, start: string, vector: Record<string, number>, events: number) =>
      sql(
        `INSERT INTO interest_profile (id, subject_id, subject_type, dimension, period, period_start, vector, event_count)
         VALUES ($1, $2, 'customer', 'category', $3, $4, $5, $6)`,
        [uniqueId("iprof"), customer.id, period, start, JSON.stringify(vector), events]
      )
    await profile("week", "2024-03-11T00:00:00Z", { [c2]: 0.2, [c1]: 0.8 }, 10)
    await profile("week", "2024-03-04T00:00:00Z", { [c1]: 1 }, 4)
    await profile("week", "2024-03-18T00:00:00Z", { [c3]: 0.5, [c2]: 0.3, [c1]: 0.2 }, 12)
    await profile("month", "2024-03-01T00:00:00Z", { [c1]: 0.6, [c2]: 0.4 }, 26)

    active = uniqueId("imv")
    stale = uniqueId("imv")
    for (const id of [active, stale]) {
      await sql(`INSERT INTO interest_model_version (id, status, metrics) VALUES ($1, 'ready', '{}')`, [id])
    }
    segment = uniqueId("iseg")
    await sql(
      `INSERT INTO interest_segment (id, name, auto_name, size, top_interests, model_version_id) VALUES ($1, 'Gardeners', 'garden', 12, $2, $3)`,
      [segment, JSON.stringify([{ id: c1, name: categories[0].name, weight: 0.7 }]), active]
    )
    await sql(
      `INSERT INTO interest_segment_member (segment_id, customer_id, distance, model_version_id) VALUES ($1, $2, 0.42, $3)`,
      [segment, customer.id, active]
    )
    const items = [{ product_id: "prod_a", score: 0.9, reason: "segment" }]
    await sql(
      `INSERT INTO interest_recommendation (id, model_version_id, subject_id, placement, context_id, items) VALUES ($1, $2, $3, 'for_you', '', $4)`,
      [uniqueId("irec"), active, customer.id, JSON.stringify(items)]
    )
    await sql(
      `INSERT INTO interest_recommendation (id, model_version_id, subject_id, placement, context_id, items) VALUES ($1, $2, $3, 'for_you', '', '[]')`,
      [uniqueId("irec"), stale, customer.id]
    )
    // Serve `active` for this file only (restored in afterAll).
    previousActive = (await sql<{ id: string }>(`SELECT id FROM interest_model_version WHERE is_active AND deleted_at IS NULL`)).map((r) => r.id)
    await sql(`UPDATE interest_model_version SET is_active = false WHERE is_active`)
    await sql(`UPDATE interest_model_version SET is_active = true WHERE id = $1`, [active])
  })

  afterAll(async () => {
    await sql(`UPDATE interest_model_version SET is_active = false WHERE id = $1`, [active])
    if (previousActive.length) {
      await sql(`UPDATE interest_model_version SET is_active = true WHERE id = $1`, [previousActive[0]])
    }
    await closeDb()
  })

  it("answers the timeline (oldest first, named top interests), segment and the active model's lists", async () => {
    const [c1, c2, c3] = categories
    const res = await api(`/admin/interest/customers/${customer.id}`, { token })
    expect(res.status).toBe(200)
    const body = res.body
    expect(body).toMatchObject({
      customer_id: customer.id,
      customer: { email: customer.email, first_name: "Test", last_name: "Shopper" },
      active_model_id: active,
      predicted: null,
      opted_out: false,
    })
    expect(body.timeline.map((p: { period: string; period_start: string }) => [p.period, p.period_start])).toEqual([
      ["month", "2024-03-01T00:00:00.000Z"],
      ["week", "2024-03-04T00:00:00.000Z"],
      ["week", "2024-03-11T00:00:00.000Z"],
      ["week", "2024-03-18T00:00:00.000Z"],
    ])
    expect(body.timeline[2]).toMatchObject({
      dimension: "category",
      event_count: 10,
      vector: { [c1.id]: 0.8, [c2.id]: 0.2 },
      top_interests: [
        { id: c1.id, name: c1.name, weight: 0.8 },
        { id: c2.id, name: c2.name, weight: 0.2 },
      ],
    })
    expect(body.timeline[3].top_interests.map((t: { id: string }) => t.id)).toEqual([c3.id, c2.id, c1.id])
    expect(body.segment).toMatchObject({ id: segment, name: "Gardeners", size: 12, model_version_id: active })
    expect(body.segment.distance).toBeCloseTo(0.42)
    expect(body.recommendations).toHaveLength(1)
    expect(body.recommendations[0]).toMatchObject({
      placement: "for_you",
      context_id: "",
      items: [{ product_id: "prod_a", score: 0.9, reason: "segment" }],
    })
  })

  it("filters the timeline by period and keeps the most recent `limit` profiles", async () => {
    const weeks = await api(`/admin/interest/customers/${customer.id}?period=week&limit=2`, { token })
    expect(weeks.status).toBe(200)
    expect(weeks.body.timeline.map((p: { period_start: string }) => p.period_start)).toEqual([
      "2024-03-11T00:00:00.000Z",
      "2024-03-18T00:00:00.000Z",
    ])
    expect((await api(`/admin/interest/customers/${customer.id}?period=year`, { token })).status).toBe(400)
    expect((await api(`/admin/interest/customers/${customer.id}?limit=0`, { token })).status).toBe(400)
  })

  it("answers an empty picture for a customer nothing was learned about", async () => {
    const fresh = await createCustomer()
    const res = await api(`/admin/interest/customers/${fresh.id}`, { token })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ customer_id: fresh.id, timeline: [], segment: null, recommendations: [], predicted: null })
  })

  it("answers 404 for an unknown customer", async () => {
    const res = await api(`/admin/interest/customers/cus_unknown`, { token })
    expect(res.status).toBe(404)
    expect(res.body.message).toBe("Customer with id: cus_unknown was not found.")
  })
})
