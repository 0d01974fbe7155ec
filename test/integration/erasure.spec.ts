import path from "path"
import { api, closeDb, createCustomer, products, SeedProduct, sql, TestCustomer, uniqueId, waitFor } from "../support/harness"

/* eslint-disable @typescript-eslint/no-var-requires */
const ROOT = path.resolve(__dirname, "..", "..")
const { generateCatalog, simulateBehaviour } = require(path.join(ROOT, "dist", "demo", "synthetic"))
const { ADMIN } = require("../support/test-seed")

type Run = { id: string; status: "running" | "succeeded" | "failed"; model_version_id: string | null; error: string | null }

const PLACEMENTS = ["for_you", "recently_viewed", "segment", "trending"] as const

/** Trains through the admin route and waits for the run. */
async function train(token: string): Promise<string> {
  const started = await api("/admin/interest/models/train", { method: "POST", token })
  expect(started.status).toBe(202)
  const run = await waitFor(
    async () => {
      const res = await api(`/admin/interest/runs/${started.body.run.id}`, { token })
      return res.body.run.status === "running" ? null : (res.body.run as Run)
    },
    { timeoutMs: 240_000, intervalMs: 1000 }
  )
  expect(run.error).toBeNull()
  expect(run.status).toBe("succeeded")
  return run.model_version_id as string
}

/**
 * Every row of every plugin table (all columns, cast to text, artifacts and
 * metrics included) that contains one of the strings: "table: count" for each
 * table that has some.
 */
async function traces(needles: string[]): Promise<string[]> {
  const tables = await sql<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'interest\\_%' ORDER BY 1`
  )
  expect(tables.length).toBeGreaterThanOrEqual(11)
  const found: string[] = []
  for (const { name } of tables) {
    const [row] = await sql<{ n: string }>(
      `SELECT count(*) AS n FROM "${name}" t WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) s WHERE strpos(t::text, s) > 0)`,
      [needles]
    )
    if (Number(row.n) > 0) found.push(`${name}: ${row.n}`)
  }
  return found
}

/** What a list shows: products in order with their reasons, the segment and coldness (the list's own ids differ per request). */
const served = (body: { products: { id: string; reason_code?: string }[]; segment: unknown; cold: boolean }): unknown => ({
  products: body.products.map((p) => [p.id, p.reason_code]),
  segment: body.segment,
  cold: body.cold,
})

const asCustomer = (token: string, placement: string): Promise<{ status: number; body: any }> =>
  api(`/store/recommendations?placement=${placement}&limit=8`, { token })
const asVisitor = (visitor: string, placement: string): Promise<{ status: number; body: any }> =>
  api(`/store/recommendations?placement=${placement}&limit=8`, { headers: { "x-interest-visitor-id": visitor } })

async function post(body: Record<string, unknown>, token?: string): Promise<{ accepted: number; ignored: number }> {
  const res = await api("/store/interest/events", { body, token })
  expect(res.status).toBe(202)
  return res.body
}

/**
 * Erasure on the real shop: a customer who browsed anonymously under three
 * visitor ids (identified before and after a training, or sent along with
 * their token), two trained model versions that know them, then
 * `DELETE /store/customers/me/interests`: nothing in any plugin table or
 * stored artifact names them or their visitor ids, they are served as an
 * unknown shopper at once, and what they send later is not stored. The admin
 * route erases another customer the same way.
 */
describe("erasure forgets what was learnt", () => {
  let token: string
  let alice: TestCustomer
  let bob: TestCustomer
  let viewed: SeedProduct[]
  const v1 = uniqueId("vis")
  const v2 = uniqueId("vis")
  const v3 = uniqueId("vis")
  let versions: string[]

  beforeAll(async () => {
    token = (await api("/admin/auth/token", { body: ADMIN })).body.access_token
    // Organic history for the model to learn from: two months of simulated shoppers.
    const catalog = generateCatalog({ products: 40, categories: 8, collections: 3, tags: 5, types: 2, seed: 7 })
    const { events } = simulateBehaviour({ catalog, customers: 40, start: new Date(Date.now() - 60 * 86_400_000), days: 60, seed: 11 })
    const prefix = uniqueId("erase")
    for (let i = 0; i < events.length; i += 500) {
      const params: unknown[] = []
      const values = events.slice(i, i + 500).map((e: { customerId: string; productId: string; type: string; timestamp: number; quantity?: number }, j: number) => {
        params.push(`${prefix}_${i + j}`, `${prefix}_${e.customerId}`, e.productId, e.type, e.quantity ?? 1, new Date(e.timestamp).toISOString())
        const b = j * 6
        return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6})`
      })
      await sql(`INSERT INTO interest_event (id, customer_id, product_id, type, quantity, occurred_at) VALUES ${values.join(", ")}`, params)
    }
    alice = await createCustomer()
    bob = await createCustomer()
    // The catalogue's last products: not among the popular fill-ins every shopper gets.
    viewed = (await products(40)).slice(-6)
    const views = (ps: SeedProduct[]): { type: string; product_id: string }[] => ps.map((p) => ({ type: "view", product_id: p.id }))

    // v1: anonymous, then identified; v2: sent with her token; v3: anonymous through the first training.
    expect((await post({ visitor_id: v1, events: views(viewed.slice(0, 2)) })).accepted).toBe(2)
    expect((await api("/store/interest/identify", { token: alice.token, body: { visitor_id: v1 } })).body.moved).toBe(2)
    expect((await post({ visitor_id: v2, events: [...views(viewed.slice(2, 4)), { type: "add_to_cart", product_id: viewed[2].id }] }, alice.token)).accepted).toBe(3)
    expect((await post({ visitor_id: v3, events: views(viewed.slice(4, 6)) })).accepted).toBe(2)
    expect((await post({ events: views(viewed.slice(0, 3)) }, bob.token)).accepted).toBe(3)
    // An impression of v3 while anonymous.
    expect((await asVisitor(v3, "for_you")).status).toBe(200)
    await waitFor(async () => (await sql(`SELECT 1 FROM interest_impression WHERE visitor_id = $1`, [v3])).length > 0)

    versions = [await train(token)]
  })
  afterAll(closeDb)

  it("serves a visitor id identified after training as an unknown shopper, though the active model knows it", async () => {
    const [known] = await sql(`SELECT 1 FROM interest_model_version WHERE id = $1 AND artifacts->'customers'->'ids' ? $2`, [versions[0], `v:${v3}`])
    expect(known).toBeDefined()
    // Control: before identify the model serves v3 its own views.
    const own = await asVisitor(v3, "recently_viewed")
    expect(served(own.body)).not.toEqual(served((await asVisitor(uniqueId("fresh"), "recently_viewed")).body))
    expect((await api("/store/interest/identify", { token: alice.token, body: { visitor_id: v3 } })).body.moved).toBe(2)
    for (const placement of PLACEMENTS) {
      expect(served((await asVisitor(v3, placement)).body)).toEqual(served((await asVisitor(uniqueId("fresh"), placement)).body))
    }
  })

  it("trains a second version that knows alice with all her visitor ids' events", async () => {
    versions.push(await train(token))
    const held = await sql<{ id: string }>(
      `SELECT id FROM interest_model_version WHERE artifacts->'customers'->'ids' ? $1 ORDER BY created_at`,
      [alice.id]
    )
    expect(held.map((r) => r.id)).toEqual(versions)
  })

  it("before erasure: the model, the tables and the routes know alice (control)", async () => {
    expect((await traces([alice.id, v1, v2, v3])).length).toBeGreaterThan(0)
    const assigned = await sql<{ id: string }>(
      `SELECT id FROM interest_model_version WHERE id = ANY($1) AND segment_assignment @> $2::jsonb ORDER BY created_at`,
      [versions, JSON.stringify([{ customer_id: alice.id }])]
    )
    expect(assigned.map((r) => r.id)).toEqual(versions)
    const fresh = await createCustomer()
    expect(served((await asCustomer(alice.token, "recently_viewed")).body)).not.toEqual(served((await asCustomer(fresh.token, "recently_viewed")).body))
    expect((await api(`/store/customers/me/interests`, { token: alice.token })).body.predicted).not.toBeNull()
    expect((await api(`/admin/interest/customers/${alice.id}`, { token })).body.predicted).not.toBeNull()
  })

  it("erases every trace of the customer and their visitor ids, in every table and every stored model version", async () => {
    const res = await api(`/store/customers/me/interests`, { token: alice.token, method: "DELETE" })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ customer_id: alice.id, opted_out: true })
    expect(res.body.deleted).toMatchObject({ events: 7, visitor_ids: 3, model_versions: 2 })
    expect(res.body.deleted.impressions).toBeGreaterThanOrEqual(1)
    expect(res.body.deleted.profiles).toBeGreaterThanOrEqual(1)
    expect(await traces([alice.id, v1, v2, v3])).toEqual([])
    // Both versions still load: the active one serves, and the older one can be activated again.
    const activated = await api(`/admin/interest/models/${versions[0]}/activate`, { method: "POST", token, body: {} })
    expect(activated.status).toBe(200)
    expect((await api(`/admin/interest/models/${versions[1]}/activate`, { method: "POST", token, body: {} })).status).toBe(200)
    expect(await traces([alice.id, v1, v2, v3])).toEqual([])
  })

  it("serves them at once as an unknown shopper, and their interest routes show nothing predicted", async () => {
    const fresh = await createCustomer()
    for (const placement of PLACEMENTS) {
      const theirs = await asCustomer(alice.token, placement)
      expect(theirs.status).toBe(200)
      expect(served(theirs.body)).toEqual(served((await asCustomer(fresh.token, placement)).body))
      const stranger = served((await asVisitor(uniqueId("fresh"), placement)).body)
      for (const v of [v1, v2, v3]) expect(served((await asVisitor(v, placement)).body)).toEqual(stranger)
    }
    const own = await api(`/store/customers/me/interests`, { token: alice.token })
    expect(own.body).toMatchObject({ customer_id: alice.id, profiles: [], segment: null, predicted: null, opted_out: true })
    const admin = await api(`/admin/interest/customers/${alice.id}`, { token })
    expect(admin.status).toBe(200)
    expect(admin.body).toMatchObject({ timeline: [], segment: null, recommendations: [], predicted: null, opted_out: true })
  })

  it("stores nothing they send later, under their account or any of their visitor ids", async () => {
    for (const v of [v1, v2, v3]) {
      expect(await post({ visitor_id: v, events: [{ type: "view", product_id: viewed[0].id }] })).toMatchObject({ accepted: 0, ignored: 1 })
    }
    expect(await post({ events: [{ type: "view", product_id: viewed[0].id }] }, alice.token)).toMatchObject({ accepted: 0, ignored: 1 })
    // Identify of their visitor ids links nothing again.
    expect((await api("/store/interest/identify", { token: alice.token, body: { visitor_id: v1 } })).body.moved).toBe(0)
    expect((await api("/store/interest/identify", { token: bob.token, body: { visitor_id: v1 } })).body.moved).toBe(0)
    // Every list served since named nobody: once the last one's impression is written, the scan is still clean.
    const last = await asCustomer(alice.token, "for_you")
    await waitFor(async () => (await sql(`SELECT 1 FROM interest_impression WHERE id = $1`, [last.body.recommendation_id])).length > 0)
    expect(await traces([alice.id, v1, v2, v3])).toEqual([])
  })

  it("lets the admin erase a customer the same way, and answers 404 for an id that was never a customer", async () => {
    expect((await api(`/admin/interest/customers/cus_01NEVERACUSTOMER0000000000/interests`, { method: "DELETE", token })).status).toBe(404)
    expect((await api(`/admin/interest/customers/${bob.id}/interests`, { method: "DELETE" })).status).toBe(401)
    expect((await api(`/admin/interest/customers/${bob.id}/interests`, { method: "DELETE", token: bob.token })).status).toBe(401)
    expect(await traces([bob.id])).not.toEqual([])
    const res = await api(`/admin/interest/customers/${bob.id}/interests`, { method: "DELETE", token })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ customer_id: bob.id, opted_out: true })
    expect(res.body.deleted).toMatchObject({ events: 3, visitor_ids: 0, model_versions: 2 })
    expect(await traces([bob.id])).toEqual([])
    expect(await post({ events: [{ type: "view", product_id: viewed[0].id }] }, bob.token)).toMatchObject({ accepted: 0, ignored: 1 })
  })
})
