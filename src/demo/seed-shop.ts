/**
 * Fills a freshly seeded dev shop with shoppers: 500 customers registered
 * through the store API, about three months of their simulated views, carts,
 * wishlists and purchases in `interest_event`, and real orders placed through
 * the store API (which go through Medusa's `order.placed` like any order).
 *
 * Every step is idempotent, so `npm start` can run it on every start and only
 * does what is missing.
 */
import { Pool } from "pg"
import { generateCatalog, simulateBehaviour, SyntheticCatalog, SyntheticCustomer } from "./synthetic"
import type { InterestEvent } from "../engine/types"
import { buildMedusaSeed, MedusaSeedFile } from "./medusa-seed"
import {
  DEFAULT_SALES_CHANNEL,
  DEMO_CUSTOMERS_BY_EMAIL,
  FIRST_REGION,
  FIRST_VARIANTS,
  insertDemoEventsSql,
  ORDERS_OF_EMAILS,
} from "../repositories/sql/demo-seed"

export const DEMO_SEED = 42
export const DEMO_PASSWORD = "demo-shopper"

export interface DemoShopOptions {
  baseUrl: string
  databaseUrl: string
  /** @defaultValue 500 */
  customers?: number
  /** @defaultValue 90 */
  days?: number
  /** Real orders placed through the store API (Medusa checkout is slow: ~1 s each). @defaultValue 30 */
  orders?: number
  log?: (message: string) => void
}

/** The catalogue every demo shop is seeded with. */
export function demoCatalog(): SyntheticCatalog {
  return generateCatalog({ products: 300, categories: 24, collections: 6, tags: 12, types: 4, seed: DEMO_SEED })
}

/** The `medusa seed -f` file of the demo shop. */
export function demoSeedFile(adminEmail: string, adminPassword: string): MedusaSeedFile {
  return buildMedusaSeed(demoCatalog(), { adminEmail, adminPassword })
}

export async function seedDemoShop(options: DemoShopOptions): Promise<{ customers: number; events: number; orders: number }> {
  const log = options.log ?? (() => undefined)
  const days = options.days ?? 90
  const catalog = demoCatalog()
  // The history ends today, so it is recent whenever the shop is started.
  const today = new Date()
  today.setUTCHours(0, 0, 0, 0)
  const start = new Date(today.getTime() - days * 86_400_000)
  const behaviour = simulateBehaviour({
    catalog,
    customers: options.customers ?? 500,
    start,
    days,
    seed: DEMO_SEED,
  })
  const pool = new Pool({ connectionString: options.databaseUrl, max: 4 })
  try {
    const ids = await registerCustomers(options.baseUrl, pool, behaviour.customers, log)
    const events = await insertHistory(pool, behaviour.events, ids, log)
    const orders = await placeOrders(options.baseUrl, pool, behaviour.customers, behaviour.events, options.orders ?? 30, log)
    return { customers: ids.size, events, orders }
  } finally {
    await pool.end()
  }
}

async function registerCustomers(
  baseUrl: string,
  pool: Pool,
  customers: SyntheticCustomer[],
  log: (m: string) => void
): Promise<Map<string, string>> {
  const existing = await pool.query<{ id: string; email: string }>(DEMO_CUSTOMERS_BY_EMAIL, [customers.map((c) => c.email)])
  const byEmail = new Map(existing.rows.map((r) => [r.email, r.id]))
  const missing = customers.filter((c) => !byEmail.has(c.email))
  if (missing.length) log(`registering ${missing.length} demo customers through the store API`)
  const registered = await registerThroughStore(baseUrl, missing, DEMO_PASSWORD, 6)
  for (const c of missing) byEmail.set(c.email, registered.get(c.id) as string)
  return new Map(customers.map((c) => [c.id, byEmail.get(c.email) as string]))
}

/**
 * Registers simulated customers as shoppers through the store API, `concurrency`
 * at a time (each registration hashes a password). The browser tests' shop
 * (test/support/browser-shop.js) registers its shoppers with it too.
 * @returns the Medusa customer id of each simulated customer id
 */
export async function registerThroughStore(
  baseUrl: string,
  customers: Pick<SyntheticCustomer, "id" | "email" | "firstName" | "lastName">[],
  password: string,
  concurrency: number
): Promise<Map<string, string>> {
  const ids = new Map<string, string>()
  await forEachLimit(customers, concurrency, async (c) => {
    const res = await post(baseUrl, "/store/customers", {
      email: c.email,
      password,
      first_name: c.firstName,
      last_name: c.lastName,
    })
    ids.set(c.id, res.customer.id)
  })
  return ids
}

async function insertHistory(
  pool: Pool,
  events: InterestEvent[],
  customerIds: Map<string, string>,
  log: (m: string) => void
): Promise<number> {
  const channel = await pool.query<{ id: string }>(DEFAULT_SALES_CHANNEL)
  const channelId = channel.rows[0]?.id ?? null
  let inserted = 0
  const perCustomer = new Map<string, number>()
  const rows = events.map((e) => {
    const n = (perCustomer.get(e.customerId) ?? 0) + 1
    perCustomer.set(e.customerId, n)
    return [
      `iev_demo_${e.customerId}_${n}`,
      customerIds.get(e.customerId),
      e.productId,
      e.type,
      channelId,
      e.quantity ?? 1,
      new Date(e.timestamp).toISOString(),
      `demo:${e.customerId}:${n}`,
    ]
  })
  for (let i = 0; i < rows.length; i += 2000) {
    const chunk = rows.slice(i, i + 2000)
    const result = await pool.query(insertDemoEventsSql(chunk.length), chunk.flat())
    inserted += result.rowCount ?? 0
  }
  if (inserted) log(`stored ${inserted} events of simulated history`)
  return inserted
}

/**
 * Real orders for the customers who were most active lately, of what they last
 * put in their cart: the latest purchases of the demo go through Medusa's own
 * checkout and reach the plugin through `order.placed`.
 */
async function placeOrders(
  baseUrl: string,
  pool: Pool,
  customers: SyntheticCustomer[],
  events: InterestEvent[],
  wanted: number,
  log: (m: string) => void
): Promise<number> {
  const demoEmails = customers.map((c) => c.email)
  const placed = await pool.query<{ n: string }>(ORDERS_OF_EMAILS, [demoEmails])
  const todo = wanted - Number(placed.rows[0].n)
  if (todo <= 0) return 0
  const lastCart = new Map<string, string>()
  for (const e of events) {
    if (e.type === "add_to_cart") lastCart.set(e.customerId, e.productId)
  }
  const buyers = customers.filter((c) => lastCart.has(c.id)).slice(-todo)
  const variants = await pool.query<{ product_id: string; id: string }>(FIRST_VARIANTS, [
    Array.from(new Set(buyers.map((c) => lastCart.get(c.id) as string))),
  ])
  const variantOf = new Map(variants.rows.map((r) => [r.product_id, r.id]))
  const region = await pool.query<{ id: string }>(FIRST_REGION)
  log(`placing ${buyers.length} real orders through the store API`)
  let count = 0
  await forEachLimit(buyers, 5, async (c) => {
    const variantId = variantOf.get(lastCart.get(c.id) as string)
    if (!variantId) return
    await placeOrder(baseUrl, c, region.rows[0].id, variantId)
    count += 1
  })
  return count
}

async function placeOrder(baseUrl: string, c: SyntheticCustomer, regionId: string, variantId: string): Promise<void> {
  const { access_token: token } = await post(baseUrl, "/store/auth/token", { email: c.email, password: DEMO_PASSWORD })
  const step = (path: string, body?: unknown, method = "POST"): Promise<any> => post(baseUrl, path, body, token, method)
  let { cart } = await step("/store/carts", { region_id: regionId })
  ;({ cart } = await step(`/store/carts/${cart.id}/line-items`, { variant_id: variantId, quantity: 1 }))
  await step(`/store/carts/${cart.id}`, {
    email: c.email,
    shipping_address: {
      first_name: c.firstName,
      last_name: c.lastName,
      address_1: "1 Demo Street",
      city: "Berlin",
      postal_code: "10115",
      country_code: cart.region.countries[0].iso_2,
    },
  })
  const { shipping_options } = await step(`/store/shipping-options/${cart.id}`, undefined, "GET")
  await step(`/store/carts/${cart.id}/shipping-methods`, { option_id: shipping_options[0].id })
  await step(`/store/carts/${cart.id}/payment-sessions`, {})
  await step(`/store/carts/${cart.id}/payment-session`, { provider_id: "manual" })
  const done = await step(`/store/carts/${cart.id}/complete`, {})
  if (done.type !== "order") throw new Error(`demo order for ${c.email} did not complete`)
}

async function post(baseUrl: string, path: string, body?: unknown, token?: string, method = "POST"): Promise<any> {
  const headers: Record<string, string> = {}
  if (body !== undefined) headers["content-type"] = "application/json"
  if (token) headers.authorization = `Bearer ${token}`
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`)
  return text ? JSON.parse(text) : null
}

async function forEachLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]
      await fn(item)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}
