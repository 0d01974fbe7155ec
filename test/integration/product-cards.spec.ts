import { api, closeDb, createCustomer, itState, sql, uniqueId, waitFor } from "../support/harness"

/* eslint-disable @typescript-eslint/no-var-requires */
const { ADMIN } = require("../support/test-seed")
const { freePort } = require("../../scripts/lib/postgres")
const { startMedusa } = require("../../scripts/lib/medusa")

type StoreProduct = { id: string; title: string; status: string; variants: { id: string; calculated_price: number | null }[] }

/**
 * Recommendations are served from prepared product cards: priced exactly as
 * Medusa's own `/store/products` prices them, kept fresh by Medusa's product,
 * variant and price events, stored in the database so a restarted (or another)
 * instance serves them without rebuilding.
 */
describe("prepared product cards behind GET /store/recommendations", () => {
  let token: string
  let regionId: string
  let currency: string
  let channelId: string
  const made: string[] = []

  /** A published product of our own (deleted at the end), so other files' catalogue stays untouched. */
  async function makeProduct(amount: number): Promise<{ id: string; variantId: string }> {
    const res = await api("/admin/products", {
      token,
      body: {
        title: `Card test ${uniqueId("p")}`,
        status: "published",
        options: [{ title: "Size" }],
        sales_channels: [{ id: channelId }],
        variants: [{ title: "One size", inventory_quantity: 10, prices: [{ currency_code: currency, amount }], options: [{ value: "M" }] }],
      },
    })
    expect(res.status).toBe(200)
    made.push(res.body.product.id)
    return { id: res.body.product.id, variantId: res.body.product.variants[0].id }
  }

  /** A product of our own once it is recommendable (its product.created event was handled). */
  async function makeServedProduct(amount: number): Promise<{ id: string; variantId: string }> {
    const product = await makeProduct(amount)
    await waitFor(async () => !!find((await served()).body.products, product.id), { timeoutMs: 30_000, intervalMs: 500 })
    return product
  }

  /** Every recommendable product (the popularity fill covers the whole channel), priced for the region. */
  async function served(base = itState().baseUrl, extra = ""): Promise<{ body: { products: StoreProduct[]; recommendation_id: string } }> {
    const res = await fetch(`${base}/store/recommendations?placement=trending&limit=50&region_id=${regionId}${extra}`)
    expect(res.status).toBe(200)
    return { body: await res.json() }
  }

  const find = (products: StoreProduct[], id: string): StoreProduct | undefined => products.find((p) => p.id === id)

  beforeAll(async () => {
    const auth = await api("/admin/auth/token", { body: ADMIN })
    token = auth.body.access_token
    regionId = itState().seed.regionId as string
    ;[{ currency }] = await sql<{ currency: string }>(`SELECT currency_code AS currency FROM region WHERE id = $1`, [regionId])
    ;[{ channelId }] = await sql<{ channelId: string }>(`SELECT default_sales_channel_id AS "channelId" FROM store LIMIT 1`)
  })

  afterAll(async () => {
    for (const id of made) await api(`/admin/products/${id}`, { method: "DELETE", token })
    await closeDb()
  })

  it("serves the same product JSON and prices as /store/products, and stores the cards", async () => {
    const { body } = await served()
    expect(body.products.length).toBeGreaterThan(5)
    const ids = body.products.slice(0, 8).map((p) => p.id)
    const listing = await api(`/store/products?${ids.map((id) => `id[]=${id}`).join("&")}&region_id=${regionId}&limit=50`)
    expect(listing.status).toBe(200)
    for (const id of ids) {
      const mine = find(body.products, id) as StoreProduct & Record<string, unknown>
      const theirs = find(listing.body.products, id) as StoreProduct
      const prices = (p: StoreProduct): [string, number | null][] =>
        p.variants.map((v): [string, number | null] => [v.id, v.calculated_price]).sort((a, b) => a[0].localeCompare(b[0]))
      expect(prices(mine)).toEqual(prices(theirs))
      expect(typeof mine.variants[0].calculated_price).toBe("number")
      expect(mine.title).toBe(theirs.title)
      expect(mine.recommendation_id).toBe(body.recommendation_id)
    }
    const rows = await sql<{ product_id: string }>(
      `SELECT product_id FROM interest_product_card WHERE price_context = $1 AND product_id = ANY($2)`,
      [`region:${regionId}`, ids]
    )
    expect(rows.map((r) => r.product_id).sort()).toEqual([...ids].sort())
  })

  // Before the price-list tests: a card stored under older price lists is rebuilt, by design.
  it("keeps the cards in the database: a freshly started instance serves them without rebuilding", async () => {
    const context = `region:${regionId}`
    const cardTitle = async (productId: string): Promise<string | undefined> =>
      (
        await sql<{ title: string }>(`SELECT card->'product'->>'title' AS title FROM interest_product_card WHERE product_id = $1 AND price_context = $2`, [
          productId,
          context,
        ])
      )[0]?.title
    // A product of our own, renamed: its card showing the new name proves the bus handled its earlier events too.
    const { id } = await makeServedProduct(1800)
    const renamed = `Card test renamed ${uniqueId("t")}`
    expect((await api(`/admin/products/${id}`, { token, body: { title: renamed } })).status).toBe(200)
    await waitFor(async () => (await cardTitle(id)) === renamed, { timeoutMs: 60_000, intervalMs: 500, what: `the card of ${id} rebuilt as "${renamed}"` })
    const { body } = await served()
    expect(find(body.products, id)?.title).toBe(renamed)
    const [stored] = await sql<{ n: string }>(`SELECT count(*) AS n FROM interest_product_card WHERE price_context = $1`, [context])
    expect(Number(stored.n)).toBeGreaterThanOrEqual(body.products.length)
    // Mark the stored card: only a process that reads the table, rather than
    // rebuilding through Medusa, can answer the mark. Stamped now, as the upsert
    // keeps the newest read, no rebuild that started before can overwrite it.
    const mark = `From the card table ${uniqueId("m")}`
    await sql(
      `UPDATE interest_product_card SET card = jsonb_set(card, '{product,title}', to_jsonb($1::text)), updated_at = now() WHERE product_id = $2 AND price_context = $3`,
      [mark, id, context]
    )
    const port = await freePort()
    const second = await startMedusa({ port, env: itState().shopEnv, logFile: `${require("os").tmpdir()}/medusa-interest-cards-${process.pid}.log`, timeoutMs: 180_000 })
    try {
      const again = await served(second.url)
      const [row] = await sql<{ title: string }>(`SELECT card->'product'->>'title' AS title FROM interest_product_card WHERE product_id = $1 AND price_context = $2`, [
        id,
        context,
      ])
      expect(row.title).toBe(mark)
      expect(find(again.body.products, id)?.title).toBe(mark)
      const [after] = await sql<{ n: string }>(`SELECT count(*) AS n FROM interest_product_card WHERE price_context = $1`, [context])
      expect(Number(after.n)).toBe(Number(stored.n))
    } finally {
      await second.stop()
      // Leave the card as Medusa would build it.
      await sql(`DELETE FROM interest_product_card WHERE product_id = $1`, [id])
    }
  }, 240_000)

  it("reflects a price changed through the admin API in the next response after Medusa's event", async () => {
    const product = await makeServedProduct(1500)
    const first = find((await served()).body.products, product.id)
    expect(first?.variants[0].calculated_price).toBe(1500)

    const since = new Date()
    const updated = await api(`/admin/products/${product.id}/variants/${product.variantId}`, {
      token,
      body: { prices: [{ currency_code: currency, amount: 2345 }] },
    })
    expect(updated.status).toBe(200)
    // product-variant.updated reaches the card subscriber through the event bus (a few seconds):
    // it rebuilds the stored card; the next response after that carries the new price. The
    // card's own price is what is waited for: a rebuild for an earlier event (this product's
    // creation, handled late on a loaded machine) can stamp the card after `since` and still
    // have read the old price.
    await waitFor(async () => {
      const [row] = await sql<{ at: Date; price: string | null }>(
        `SELECT updated_at AS at, card->'product'->'variants'->0->>'calculated_price' AS price
         FROM interest_product_card WHERE product_id = $1 AND price_context = $2`,
        [product.id, `region:${regionId}`]
      )
      return row && row.at.getTime() >= since.getTime() && Number(row.price) === 2345
    })
    const next = find((await served()).body.products, product.id)
    expect(next?.variants[0].calculated_price).toBe(2345)
    const listing = await api(`/store/products/${product.id}?region_id=${regionId}`)
    expect(listing.body.product.variants[0].calculated_price).toBe(2345)
  })

  it("drops a product that is unpublished or deleted", async () => {
    const drafted = await makeServedProduct(990)
    const deleted = await makeServedProduct(991)

    expect((await api(`/admin/products/${drafted.id}`, { token, body: { status: "draft" } })).status).toBe(200)
    expect((await api(`/admin/products/${deleted.id}`, { method: "DELETE", token })).status).toBe(200)
    await waitFor(
      async () => {
        const ids = (await served()).body.products.map((p) => p.id)
        return !ids.includes(drafted.id) && !ids.includes(deleted.id)
      },
      { timeoutMs: 30_000, intervalMs: 500 }
    )
    // The deleted product's cards are removed once its event is handled.
    await waitFor(async () => (await sql(`SELECT 1 FROM interest_product_card WHERE product_id = $1`, [deleted.id])).length === 0)
    // A related carousel on the deleted product's page is a 404, on the draft's it still answers.
    expect((await api(`/store/recommendations?placement=related&product_id=${deleted.id}`)).status).toBe(404)
    expect((await api(`/store/recommendations?placement=related&product_id=${drafted.id}`)).status).toBe(200)
  })

  it("applies a new sale price list (no event in Medusa 1.20) within seconds", async () => {
    const product = await makeServedProduct(4000)
    expect(find((await served()).body.products, product.id)?.variants[0].calculated_price).toBe(4000)
    const list = await api("/admin/price-lists", {
      token,
      body: {
        name: uniqueId("sale"),
        description: "card test sale",
        type: "sale",
        status: "active",
        prices: [{ variant_id: product.variantId, currency_code: currency, amount: 3100 }],
      },
    })
    expect(list.status).toBe(200)
    try {
      await waitFor(async () => find((await served()).body.products, product.id)?.variants[0].calculated_price === 3100, {
        timeoutMs: 20_000,
        intervalMs: 500,
      })
    } finally {
      await api(`/admin/price-lists/${list.body.price_list.id}`, { method: "DELETE", token })
    }
    await waitFor(async () => find((await served()).body.products, product.id)?.variants[0].calculated_price === 4000, {
      timeoutMs: 20_000,
      intervalMs: 500,
    })
  })

  it("prices a customer of a group with its own price list live, everyone else from the card", async () => {
    const product = await makeServedProduct(5000)
    const vip = await createCustomer()
    const group = await api("/admin/customer-groups", { token, body: { name: uniqueId("vip") } })
    expect(group.status).toBe(200)
    const groupId = group.body.customer_group.id
    expect((await api(`/admin/customer-groups/${groupId}/customers/batch`, { token, body: { customer_ids: [{ id: vip.id }] } })).status).toBe(200)
    const list = await api("/admin/price-lists", {
      token,
      body: {
        name: uniqueId("vip-prices"),
        description: "card test group prices",
        type: "sale",
        status: "active",
        customer_groups: [{ id: groupId }],
        prices: [{ variant_id: product.variantId, currency_code: currency, amount: 4200 }],
      },
    })
    expect(list.status).toBe(200)
    try {
      const priceFor = async (auth?: string): Promise<number | null | undefined> => {
        const res = await api(`/store/recommendations?placement=trending&limit=50&region_id=${regionId}`, { token: auth })
        expect(res.status).toBe(200)
        return find(res.body.products, product.id)?.variants[0].calculated_price
      }
      await waitFor(async () => (await priceFor(vip.token)) === 4200, { timeoutMs: 20_000, intervalMs: 500 })
      const other = await createCustomer()
      expect(await priceFor(other.token)).toBe(5000)
      expect(await priceFor()).toBe(5000)
    } finally {
      await api(`/admin/price-lists/${list.body.price_list.id}`, { method: "DELETE", token })
    }
  })
})
