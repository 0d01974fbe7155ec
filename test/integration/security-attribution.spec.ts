import { api, closeDb, createCustomer, products, sql, TestCustomer, uniqueId, waitFor } from "../support/harness"

/**
 * Attribution only from real impressions: a click or add-to-cart credits a
 * list (its recommendation_id) only when that list was served to the same
 * shopper and showed that product. Forged clicks are stored without the id
 * and leave /admin/interest/stats unchanged. An unknown variant is rejected.
 */
const HEADER = "x-interest-visitor-id"
type Totals = { impressions: number; clicks: number; add_to_carts: number; ctr: number }
type List = { recommendation_id: string; products: { id: string }[] }
type Result = { index: number; status: string; id?: string; attributed?: boolean; reason?: string }

describe("security: attribution only from real impressions", () => {
  let adminToken: string
  let carol: TestCustomer
  let notShown: string[]
  const alice = uniqueId("alice")
  const mallory = uniqueId("mallory")
  // Impressions of this file only: its window starts now (files run one at a time).
  const from = new Date().toISOString()

  async function totals(): Promise<Totals> {
    const to = new Date(Date.now() + 3600_000).toISOString()
    const res = await api(`/admin/interest/stats?from=${from}&to=${to}`, { token: adminToken })
    expect(res.status).toBe(200)
    return res.body.totals
  }

  /** A list served to a visitor (header) or a customer (token), once its impression is in the table. */
  async function serve(who: { visitor?: string; token?: string }, limit = 6): Promise<List> {
    const res = await api(`/store/recommendations?placement=trending&limit=${limit}`, {
      headers: who.visitor ? { [HEADER]: who.visitor } : {},
      token: who.token,
    })
    expect(res.status).toBe(200)
    expect(res.body.products.length).toBe(limit)
    await waitFor(async () => (await sql(`SELECT 1 FROM interest_impression WHERE id = $1`, [res.body.recommendation_id])).length > 0)
    return res.body
  }

  async function post(who: { visitor?: string; token?: string }, events: Record<string, unknown>[]): Promise<{ status: number; results: Result[] }> {
    const res = await api("/store/interest/events", { token: who.token, body: { ...(who.visitor ? { visitor_id: who.visitor } : {}), events } })
    return { status: res.status, results: res.body.results }
  }

  const storedIds = async (ids: string[]): Promise<(string | null)[]> =>
    (await sql<{ recommendation_id: string | null }>(`SELECT recommendation_id FROM interest_event WHERE id = ANY($1) ORDER BY id`, [ids])).map(
      (r) => r.recommendation_id
    )

  beforeAll(async () => {
    const auth = await api("/admin/auth/token", { body: { email: "admin@example.com", password: "supersecret" } })
    expect(auth.status).toBe(200)
    adminToken = auth.body.access_token
    carol = await createCustomer()
  })
  afterAll(closeDb)

  let aliceList: List
  let before: Totals

  it("stores forged clicks and add-to-carts without attribution, and the stats do not move", async () => {
    aliceList = await serve({ visitor: alice })
    const shown = new Set(aliceList.products.map((p) => p.id))
    notShown = (await products(60)).map((p) => p.id).filter((id) => !shown.has(id))
    expect(notShown.length).toBeGreaterThan(0)
    before = await totals()
    expect(before.impressions).toBeGreaterThanOrEqual(1)

    const rid = aliceList.recommendation_id
    const forged = [
      // Another visitor replays Alice's recommendation_id on Alice's products (the 100 clicks).
      post(
        { visitor: mallory },
        Array.from({ length: 100 }, (_, i) => ({
          type: i % 10 === 0 ? "add_to_cart" : "click",
          product_id: aliceList.products[i % aliceList.products.length].id,
          recommendation_id: rid,
        }))
      ),
      // A logged-in customer with it, and Alice herself on a product her list did not show.
      post({ token: carol.token }, [{ type: "click", product_id: aliceList.products[0].id, recommendation_id: rid }]),
      post({ visitor: alice }, [
        { type: "click", product_id: notShown[0], recommendation_id: rid },
        { type: "add_to_cart", product_id: notShown[0], recommendation_id: rid },
      ]),
      // An id no list ever had.
      post({ visitor: mallory }, [{ type: "click", product_id: aliceList.products[0].id, recommendation_id: "irec_01NEVERSERVED000000000000" }]),
    ]
    const answers = await Promise.all(forged)
    const ids: string[] = []
    for (const a of answers) {
      expect(a.status).toBe(202)
      for (const r of a.results) {
        expect(r).toMatchObject({ status: "accepted", attributed: false })
        expect(r.reason).toMatch(/stored without attribution/)
        ids.push(r.id as string)
      }
    }
    expect(ids).toHaveLength(104)
    // Stored (the shopper's behaviour still counts for learning), without the list's id.
    const stored = await storedIds(ids)
    expect(stored).toHaveLength(104)
    expect(stored.every((r) => r === null)).toBe(true)

    expect(await totals()).toEqual(before)
  })

  it("credits a genuine click once per list and product, and a genuine add-to-cart", async () => {
    const [first, second] = aliceList.products
    const rid = aliceList.recommendation_id
    const clicks = await post({ visitor: alice }, [
      { type: "click", product_id: first.id, recommendation_id: rid },
      { type: "click", product_id: first.id, recommendation_id: rid },
      { type: "add_to_cart", product_id: second.id, recommendation_id: rid },
    ])
    expect(clicks.status).toBe(202)
    expect(clicks.results.map((r) => [r.status, r.attributed, r.reason])).toEqual([
      ["accepted", true, undefined],
      ["accepted", true, undefined],
      ["accepted", true, undefined],
    ])
    expect(await storedIds(clicks.results.map((r) => r.id as string))).toEqual([rid, rid, rid])
    const after = await totals()
    expect(after).toMatchObject({ impressions: before.impressions, clicks: before.clicks + 1, add_to_carts: before.add_to_carts + 1 })
    expect(after.ctr).toBeCloseTo((before.clicks + 1) / before.impressions, 10)
  })

  it("credits a customer's own list, also after an anonymous list was served to their visitor id", async () => {
    const own = await serve({ token: carol.token })
    const carolVisitor = uniqueId("carolvis")
    const anonymous = await serve({ visitor: carolVisitor })
    // Logged in now, still sending the visitor id the anonymous list was served to.
    const res = await post({ token: carol.token, visitor: carolVisitor }, [
      { type: "click", product_id: own.products[0].id, recommendation_id: own.recommendation_id },
      { type: "click", product_id: anonymous.products[0].id, recommendation_id: anonymous.recommendation_id },
    ])
    expect(res.results.map((r) => r.attributed)).toEqual([true, true])
    // Her list is hers alone: an anonymous visitor cannot credit it.
    const stranger = await post({ visitor: uniqueId("stranger") }, [
      { type: "click", product_id: own.products[0].id, recommendation_id: own.recommendation_id },
    ])
    expect(stranger.results[0].attributed).toBe(false)
  })

  it("credits a customer's list from their identified visitor id alone (token on the storefront's server, clicks from the browser)", async () => {
    const dave = await createCustomer()
    const eve = await createCustomer()
    const daveVisitor = uniqueId("davevis")
    const eveVisitor = uniqueId("evevis")
    for (const [who, visitor] of [[dave, daveVisitor], [eve, eveVisitor]] as const) {
      const identified = await api("/store/interest/identify", { token: who.token, body: { visitor_id: visitor } })
      expect(identified.status).toBe(200)
    }
    const list = await serve({ token: dave.token })
    const [shown] = list.products
    const click = { type: "click", product_id: shown.id, recommendation_id: list.recommendation_id }

    const own = await post({ visitor: daveVisitor }, [click])
    expect(own.results[0]).toMatchObject({ status: "accepted", attributed: true })
    const [row] = await sql<{ customer_id: string; recommendation_id: string }>(
      `SELECT customer_id, recommendation_id FROM interest_event WHERE id = $1`,
      [own.results[0].id]
    )
    expect(row).toEqual({ customer_id: dave.id, recommendation_id: list.recommendation_id })

    // Another customer's identified visitor id, and one identified into nobody, credit nothing.
    const others = await Promise.all([post({ visitor: eveVisitor }, [click]), post({ visitor: uniqueId("nobody") }, [click])])
    expect(others.map((o) => o.results[0].attributed)).toEqual([false, false])
  })

  it("credits lists whose impressions are still queued in the write buffer", async () => {
    const visitor = uniqueId("burst")
    // Lists served while a write is under way wait in the buffer (up to 200 ms):
    // bursts until one of them is not in the table when its click is checked.
    let sawQueued = false
    for (let attempt = 0; attempt < 10 && !sawQueued; attempt++) {
      const lists: List[] = await Promise.all(
        Array.from({ length: 12 }, () =>
          api(`/store/recommendations?placement=trending&limit=3`, { headers: { [HEADER]: visitor } }).then((r) => r.body)
        )
      )
      const ids = lists.map((l) => l.recommendation_id)
      const [res, inTable] = await Promise.all([
        post({ visitor }, lists.map((l) => ({ type: "click", product_id: l.products[0].id, recommendation_id: l.recommendation_id }))),
        sql<{ id: string }>(`SELECT id FROM interest_impression WHERE id = ANY($1)`, [ids]),
      ])
      sawQueued = inTable.length < ids.length
      expect(res.status).toBe(202)
      expect(res.results.map((r) => r.attributed)).toEqual(ids.map(() => true))
    }
    expect(sawQueued).toBe(true)
  })

  describe("variant ids", () => {
    let product: { id: string; kept: string; deleted: string }

    beforeAll(async () => {
      const [{ currency }] = await sql<{ currency: string }>(`SELECT currency_code AS currency FROM region WHERE deleted_at IS NULL LIMIT 1`)
      const made = await api("/admin/products", {
        token: adminToken,
        body: {
          title: `Variant check ${uniqueId("p")}`,
          options: [{ title: "Size" }],
          variants: ["S", "M"].map((value) => ({
            title: value,
            inventory_quantity: 1,
            prices: [{ currency_code: currency, amount: 1000 }],
            options: [{ value }],
          })),
        },
      })
      expect(made.status).toBe(200)
      const [kept, deleted] = made.body.product.variants.map((v: { id: string }) => v.id)
      product = { id: made.body.product.id, kept, deleted }
      const removed = await api(`/admin/products/${product.id}/variants/${deleted}`, { method: "DELETE", token: adminToken })
      expect(removed.status).toBe(200)
    })
    afterAll(async () => {
      await api(`/admin/products/${product.id}`, { method: "DELETE", token: adminToken })
    })

    it("rejects an unknown, deleted or another product's variant with its reason, and keeps a real one", async () => {
      const [other] = await products(1)
      const visitor = uniqueId("variant")
      const res = await post({ visitor }, [
        { type: "add_to_cart", product_id: product.id, variant_id: "variant_01DOESNOTEXIST0000000000" },
        { type: "add_to_cart", product_id: product.id, variant_id: product.deleted },
        { type: "add_to_cart", product_id: product.id, variant_id: other.variantId },
        { type: "add_to_cart", product_id: product.id, variant_id: product.kept },
      ])
      expect(res.status).toBe(202)
      expect(res.results.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected", "accepted"])
      expect(res.results[0].reason).toBe("variant variant_01DOESNOTEXIST0000000000 does not exist")
      expect(res.results[1].reason).toBe(`variant ${product.deleted} does not exist`)
      expect(res.results[2].reason).toBe(`variant ${other.variantId} is not a variant of product ${product.id}`)
      const rows = await waitFor(async () => {
        const r = await sql<{ variant_id: string }>(`SELECT variant_id FROM interest_event WHERE visitor_id = $1`, [visitor])
        return r.length > 0 && r
      })
      expect(rows).toEqual([{ variant_id: product.kept }])
    })

    it("answers a batch of only unknown variants with a 400", async () => {
      const res = await api("/store/interest/events", {
        body: { visitor_id: uniqueId("variant"), events: [{ type: "view", product_id: product.id, variant_id: "variant_01DOESNOTEXIST0000000000" }] },
      })
      expect(res.status).toBe(400)
      expect(res.body.message).toMatch(/variant variant_01DOESNOTEXIST0000000000 does not exist/)
    })
  })
})
