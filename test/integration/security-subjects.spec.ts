import crypto from "crypto"
import { api, closeDb, createCustomer, products, sql, TestCustomer, uniqueId, waitFor } from "../support/harness"

/**
 * Who may read or change whose data, beyond admin-auth.spec.ts (401s of the
 * admin routes) and customer-interests.spec.ts (own interests only): ids taken
 * from the request never widen what a caller reaches.
 */
const count = async (where: string, params: unknown[]): Promise<number> =>
  Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM interest_event WHERE ${where}`, params))[0].n)

/** A JWT signed with a secret the shop does not have (or none): must never authenticate. */
function forgedToken(payload: Record<string, unknown>, alg: "HS256" | "none"): string {
  const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString("base64url")
  const head = `${b64({ alg, typ: "JWT" })}.${b64({ ...payload, iat: Math.floor(Date.now() / 1000) })}`
  if (alg === "none") return `${head}.`
  return `${head}.${crypto.createHmac("sha256", "not-the-shop-secret").update(head).digest("base64url")}`
}

/** What a list shows: products in order with their reasons (ids of the list itself differ per request). */
const served = (body: { products: { id: string; reason_code?: string }[] }): unknown =>
  body.products.map((p) => [p.id, p.reason_code])

describe("security: subjects, identities and forged credentials", () => {
  let alice: TestCustomer
  let mallory: TestCustomer
  let viewed: string[]
  const aliceVisitor = uniqueId("vis")

  beforeAll(async () => {
    alice = await createCustomer()
    mallory = await createCustomer()
    // The catalogue's last products: not among the popular fill-ins every visitor gets.
    viewed = (await products(40)).slice(-3).map((p) => p.id)
    // Alice browses anonymously, logs in, identifies, and keeps browsing with the
    // storefront still sending her old visitor id alongside her token.
    const anon = await api("/store/interest/events", {
      body: { visitor_id: aliceVisitor, events: [{ type: "view", product_id: viewed[0] }] },
    })
    expect(anon.status).toBe(202)
    await waitFor(async () => (await count(`visitor_id = $1`, [aliceVisitor])) === 1)
    const identified = await api("/store/interest/identify", { token: alice.token, body: { visitor_id: aliceVisitor } })
    expect(identified.status).toBe(200)
    const logged = await api("/store/interest/events", {
      token: alice.token,
      body: { visitor_id: aliceVisitor, events: viewed.slice(1).map((product_id) => ({ type: "view", product_id })) },
    })
    expect(logged.status).toBe(202)
    await waitFor(async () => (await count(`customer_id = $1`, [alice.id])) === 3)
  })
  afterAll(closeDb)

  it("identify never takes over events that already belong to a customer", async () => {
    // Alice identified this visitor id: it is hers for good (identify-once.spec.ts checks every table).
    const res = await api("/store/interest/identify", { token: mallory.token, body: { visitor_id: aliceVisitor } })
    expect(res.status).toBe(409)
    expect(await count(`customer_id = $1`, [alice.id])).toBe(3)
    expect(await count(`customer_id = $1`, [mallory.id])).toBe(0)
  })

  it("a customer's id given as a visitor id reads nothing of that customer", async () => {
    for (const placement of ["recently_viewed", "for_you"]) {
      const res = await api(`/store/recommendations?placement=${placement}`, { headers: { "x-interest-visitor-id": alice.id } })
      expect(res.status).toBe(200)
      const fresh = await api(`/store/recommendations?placement=${placement}`, { headers: { "x-interest-visitor-id": uniqueId("fresh") } })
      expect(served(res.body)).toEqual(served(fresh.body))
    }
  })

  it("an anonymous visitor's own recent views are served to that visitor id (control)", async () => {
    const visitor = uniqueId("vis")
    const posted = await api("/store/interest/events", {
      body: { visitor_id: visitor, events: viewed.map((product_id) => ({ type: "view", product_id })) },
    })
    expect(posted.status).toBe(202)
    await waitFor(async () => (await count(`visitor_id = $1`, [visitor])) === 3)
    const res = await api(`/store/recommendations?placement=recently_viewed`, { headers: { "x-interest-visitor-id": visitor } })
    expect(res.body.products.slice(0, 3).map((p: { id: string }) => p.id).sort()).toEqual([...viewed].sort())
  })

  // "A visitor id a customer identified with reads nothing of that customer"
  // needs an active model (without one the visitor's events are not used at
  // all): it is checked in faults-processes.spec.ts, which trains its own.

  it("the logged-in customer does see their own recently viewed products", async () => {
    const res = await api(`/store/recommendations?placement=recently_viewed`, { token: alice.token })
    expect(res.status).toBe(200)
    const ids: string[] = res.body.products.map((p: { id: string }) => p.id)
    expect(ids.slice(0, 3).sort()).toEqual([...viewed].sort())
  })

  it("a customer cannot erase another customer's data through any request field", async () => {
    const eve = await createCustomer()
    const res = await api(`/store/customers/me/interests?customer_id=${alice.id}`, {
      method: "DELETE",
      token: eve.token,
      headers: { "x-customer-id": alice.id },
    })
    expect(res.status).toBe(200)
    expect(res.body.customer_id).toBe(eve.id)
    expect(await count(`customer_id = $1`, [alice.id])).toBe(3)
    const opted = await sql(`SELECT 1 FROM interest_opt_out WHERE subject_id = encode(sha256(convert_to($1, 'UTF8')), 'hex')`, [alice.id])
    expect(opted).toEqual([])
  })

  it("events cannot be written in another customer's name", async () => {
    const res = await api("/store/interest/events", {
      token: mallory.token,
      body: { customer_id: alice.id, events: [{ type: "view", product_id: viewed[0] }] },
    })
    expect(res.status).toBe(400)
    const asMallory = await api("/store/interest/events", {
      token: mallory.token,
      body: { events: [{ type: "view", product_id: viewed[0], client_event_id: uniqueId("sec") }] },
    })
    expect(asMallory.status).toBe(202)
    await waitFor(async () => (await count(`customer_id = $1`, [mallory.id])) === 1)
    expect(await count(`customer_id = $1`, [alice.id])).toBe(3)
  })

  it("forged tokens open neither the customer's nor the admin routes", async () => {
    const runsBefore = Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM interest_training_run`))[0].n)
    const forged = [
      forgedToken({ customer_id: alice.id }, "HS256"),
      forgedToken({ customer_id: alice.id }, "none"),
      forgedToken({ userId: "usr_x", user_id: "usr_x", domain: "admin" }, "HS256"),
      forgedToken({ userId: "usr_x", user_id: "usr_x", domain: "admin" }, "none"),
    ]
    for (const token of forged) {
      const own = await api(`/store/customers/me/interests`, { token })
      expect(own.status).toBe(401)
      expect((await api(`/store/customers/me/interests`, { method: "DELETE", token })).status).toBe(401)
      expect((await api("/admin/interest/models/train", { method: "POST", token })).status).toBe(401)
      expect((await api("/admin/interest/runs/irun_x", { token })).status).toBe(401)
      expect((await api(`/admin/interest/customers/${alice.id}`, { token })).status).toBe(401)
    }
    expect(await count(`customer_id = $1`, [alice.id])).toBe(3)
    expect(Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM interest_training_run`))[0].n)).toBe(runsBefore)
  })
})
