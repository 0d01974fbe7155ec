import os from "os"
import path from "path"
import { api, closeDb, insertHistory, itState, sql, uniqueId } from "../support/harness"

/* eslint-disable @typescript-eslint/no-var-requires */
const { ADMIN } = require("../support/test-seed")
const { freePort } = require("../../scripts/lib/postgres")
const { startMedusa } = require("../../scripts/lib/medusa")

type Shop = { url: string; stop: () => Promise<void> }

/** Every other type keeps the plugin's default weight. */
const PURCHASE_HEAVY = { purchase: 10, view: 0.1 }
const VIEW_HEAVY = { purchase: 0.1, view: 10 }
const SHOPPERS = 4

/**
 * The popular fallback (what fills a carousel the model cannot) counts recent
 * events with the shop's `eventWeights` option, not with weights of its own:
 * two shops on the same events, one weighting purchases and one views, order
 * a bought product and a viewed one the opposite way. Both products have as
 * many events from as many customers, so only the weights can tell them apart.
 */
describe("the popular fallback weighs events with the shop's eventWeights option", () => {
  let token: string
  let channelId: string
  let keyId: string
  let bought: string
  let viewed: string
  /** The product whose related carousel is asked for: created here, so no model knows it and the carousel is all fallback. */
  let context: string
  const made: string[] = []
  const prefix = uniqueId("pw")
  const shops: Shop[] = []
  let purchaseHeavy: Shop
  let viewHeavy: Shop

  const admin = async (p: string, body?: unknown, method?: string): Promise<any> => {
    const res = await api(p, { token, body, method })
    expect(res.status).toBe(200)
    return res.body
  }

  async function makeProduct(): Promise<string> {
    const { product } = await admin("/admin/products", {
      title: `Weights test ${uniqueId("p")}`,
      status: "published",
      sales_channels: [{ id: channelId }],
    })
    made.push(product.id)
    return product.id
  }

  async function start(name: string, weights: Record<string, number>): Promise<Shop> {
    const shop: Shop = await startMedusa({
      port: await freePort(),
      env: { ...itState().shopEnv, INTEREST_EVENT_WEIGHTS: JSON.stringify(weights) },
      logFile: path.join(os.tmpdir(), `medusa-interest-weights-${process.pid}-${name}.log`),
      timeoutMs: 240_000,
    })
    shops.push(shop)
    return shop
  }

  /** The related carousel of `context` in our own channel: only `bought` and `viewed` can be in it. */
  async function carousel(shop: Shop): Promise<string[]> {
    const res = await fetch(`${shop.url}/store/recommendations?placement=related&product_id=${context}&limit=10`, {
      headers: { "x-publishable-api-key": keyId },
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { products: { id: string; reason_code: string }[] }
    expect(body.products.every((p) => p.reason_code === "trending")).toBe(true)
    return body.products.map((p) => p.id)
  }

  beforeAll(async () => {
    token = (await api("/admin/auth/token", { body: ADMIN })).body.access_token
    // A channel of our own, so other files' products and events cannot come between ours.
    channelId = (await admin("/admin/sales-channels", { name: `Weights test ${prefix}` })).sales_channel.id
    keyId = (await admin("/admin/publishable-api-keys", { title: `Weights test ${prefix}` })).publishable_api_key.id
    await admin(`/admin/publishable-api-keys/${keyId}/sales-channels/batch`, { sales_channel_ids: [{ id: channelId }] })
    bought = await makeProduct()
    viewed = await makeProduct()
    context = await makeProduct()
    const at = Date.now() - 86_400_000
    await insertHistory(
      Array.from({ length: SHOPPERS }, (_, i) => [
        { customerId: `buyer_${i}`, productId: bought, type: "purchase", timestamp: at },
        { customerId: `viewer_${i}`, productId: viewed, type: "view", timestamp: at },
      ]).flat(),
      prefix
    )
    // Started after the events are stored: a fresh process has no popular list in memory yet.
    ;[purchaseHeavy, viewHeavy] = await Promise.all([start("purchase-heavy", PURCHASE_HEAVY), start("view-heavy", VIEW_HEAVY)])
  }, 600_000)

  afterAll(async () => {
    await Promise.all(shops.map((s) => s.stop()))
    await sql(`DELETE FROM interest_event WHERE product_id = ANY($1)`, [made])
    for (const id of made) await api(`/admin/products/${id}`, { method: "DELETE", token })
    if (keyId) await api(`/admin/publishable-api-keys/${keyId}`, { method: "DELETE", token })
    if (channelId) await api(`/admin/sales-channels/${channelId}`, { method: "DELETE", token })
    await closeDb()
  })

  it("ranks the bought product first in a shop that weighs purchases, the viewed one in a shop that weighs views", async () => {
    expect(await carousel(purchaseHeavy)).toEqual([bought, viewed])
    expect(await carousel(viewHeavy)).toEqual([viewed, bought])
  })
})
