import fs from "fs"
import http from "http"
import { Pool } from "pg"

/** What global-setup.js booted for this run. */
export interface ItState {
  baseUrl: string
  databaseUrl: string
  redis: boolean
  /** DATABASE_URL, and REDIS_URL with its REDIS_QUEUE_PREFIX when the run uses Redis. */
  shopEnv: Record<string, string>
  seed: { regionId?: string; publishableKey?: string; productCount: number }
}

export function itState(): ItState {
  const file = process.env.INTEREST_IT_STATE
  if (!file || !fs.existsSync(file)) {
    throw new Error("Integration state missing: run through `npm test` (jest global setup).")
  }
  return JSON.parse(fs.readFileSync(file, "utf8"))
}

let pool: Pool | null = null

/** A direct connection to the test database, to check what was really stored. */
export async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  if (!pool) {
    pool = new Pool({ connectionString: itState().databaseUrl, max: 2 })
    // The database stops at global teardown; idle clients must not crash jest then.
    pool.on("error", () => undefined)
  }
  const result = await pool.query(text, params)
  return result.rows as T[]
}

export async function closeDb(): Promise<void> {
  await pool?.end()
  pool = null
}

export interface ApiResponse<T = any> {
  status: number
  body: T
  headers: Headers
}

export interface ApiOptions {
  method?: string
  body?: unknown
  /** Sent as is, with `contentType` (for malformed-body tests). */
  rawBody?: string
  contentType?: string
  token?: string
  headers?: Record<string, string>
}

export async function api<T = any>(path: string, options: ApiOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) }
  let body: string | undefined
  if (options.rawBody !== undefined) {
    body = options.rawBody
    if (options.contentType) headers["content-type"] = options.contentType
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body)
    headers["content-type"] = options.contentType ?? "application/json"
  }
  if (options.token) headers.authorization = `Bearer ${options.token}`
  const res = await fetch(`${itState().baseUrl}${path}`, {
    method: options.method ?? (body === undefined ? "GET" : "POST"),
    headers,
    body,
  })
  const text = await res.text()
  let parsed: unknown = text
  try {
    parsed = text ? JSON.parse(text) : null
  } catch {
    // keep the text
  }
  return { status: res.status, body: parsed as T, headers: res.headers }
}

/**
 * Like `api`, from the local address `from`: Linux routes all of 127.0.0.0/8 to
 * loopback, so a test can be a client of its own address, with budgets of its
 * own under the rate limits, without spending 127.0.0.1's (which every file shares).
 */
export function apiFrom<T = any>(from: string, path: string, options: ApiOptions & { baseUrl?: string } = {}): Promise<ApiResponse<T>> {
  const url = new URL(path, options.baseUrl ?? itState().baseUrl)
  const headers: Record<string, string> = { ...(options.headers ?? {}) }
  const data = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body))
  if (data !== undefined) headers["content-type"] = options.contentType ?? "application/json"
  if (options.token) headers.authorization = `Bearer ${options.token}`
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, localAddress: from, method: options.method ?? (data === undefined ? "GET" : "POST"), headers },
      (res) => {
        let text = ""
        res.setEncoding("utf8")
        res.on("data", (c) => (text += c))
        res.on("end", () => {
          let parsed: unknown = text
          try {
            parsed = text ? JSON.parse(text) : null
          } catch {
            // keep the text
          }
          const h = new Headers()
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(", ") : v)
          resolve({ status: res.statusCode ?? 0, body: parsed as T, headers: h })
        })
      }
    )
    req.on("error", reject)
    req.end(data)
  })
}

export interface WaitOptions {
  timeoutMs?: number
  intervalMs?: number
  /** What is waited for, for the failure message ("the marker event stored"). */
  what?: string
}

/**
 * Polls `probe` until it returns a truthy value, and fails after `timeoutMs`
 * saying what it waited for (the event bus stages jobs every few seconds).
 */
export async function waitFor<T>(
  probe: () => Promise<T | null | undefined | false>,
  { timeoutMs = 30000, intervalMs = 250, what = "condition" }: WaitOptions = {}
): Promise<T> {
  const started = Date.now()
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() - started > timeoutMs) {
      throw new Error(`waitFor: ${what} not met within ${timeoutMs} ms`)
    }
    await new Promise((r) => setTimeout(r, intervalMs))
  }
}

/**
 * The client address the barriers below send from: a budget of their own under
 * the rate limits, so a file that spent 127.0.0.1's cannot make them fail.
 */
const BARRIER_FROM = "127.0.0.40"

/**
 * A barrier for "nothing was stored" checks on the events route: posts one good
 * view after the request under test and waits until its row is stored. The
 * route stores before its 202, in the order requests arrive, so once the
 * marker is in, anything an earlier request would have stored is in too.
 * @param productId - a product of the catalogue
 * @param visitorId - the marker's visitor (a fresh one by default)
 * @return the stored marker event's id
 */
export async function eventBarrier(productId: string, visitorId = uniqueId("marker")): Promise<string> {
  const res = await apiFrom(BARRIER_FROM, "/store/interest/events", {
    body: { visitor_id: visitorId, events: [{ type: "view", product_id: productId }] },
  })
  if (res.status !== 202 || res.body.accepted !== 1) {
    throw new Error(`eventBarrier: the marker event was not accepted: ${res.status} ${JSON.stringify(res.body)}`)
  }
  const id: string = res.body.results[0].id
  await waitFor(async () => (await sql(`SELECT 1 FROM interest_event WHERE id = $1`, [id])).length > 0, {
    what: `the marker event ${id} stored`,
  })
  return id
}

/**
 * A barrier for "no impression was written" checks: serves one list through
 * the store route after the requests under test and waits until its impression
 * is stored. Impressions are queued and written in order (src/runtime/
 * impression-buffer.ts), so once the marker's row is in, every impression
 * queued before it is in too.
 * @param query - the query string of `GET /store/recommendations`
 * @return the marker list's recommendation_id
 */
export async function impressionBarrier(query = "placement=trending&limit=3"): Promise<string> {
  const res = await apiFrom(BARRIER_FROM, `/store/recommendations?${query}`)
  if (res.status !== 200 || typeof res.body?.recommendation_id !== "string") {
    throw new Error(`impressionBarrier: the marker list was not served: ${res.status} ${JSON.stringify(res.body)}`)
  }
  const id: string = res.body.recommendation_id
  await waitFor(async () => (await sql(`SELECT 1 FROM interest_impression WHERE id = $1`, [id])).length > 0, {
    what: `the marker impression ${id} stored`,
  })
  return id
}

let counter = 0
/** Ids unique across files and runs, for visitors and client events. */
export function uniqueId(prefix: string): string {
  counter += 1
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter}`
}

export interface TestCustomer {
  id: string
  email: string
  token: string
}

/** Registers a customer through the store API and logs in with a bearer token. */
export async function createCustomer(): Promise<TestCustomer> {
  const email = `${uniqueId("shopper")}@example.com`.toLowerCase()
  const password = "supersecret"
  const created = await api("/store/customers", {
    body: { email, password, first_name: "Test", last_name: "Shopper" },
  })
  if (created.status !== 200) throw new Error(`register failed: ${created.status} ${JSON.stringify(created.body)}`)
  const auth = await api("/store/auth/token", { body: { email, password } })
  if (auth.status !== 200) throw new Error(`login failed: ${auth.status} ${JSON.stringify(auth.body)}`)
  return { id: created.body.customer.id, email, token: auth.body.access_token }
}

export interface SeedProduct {
  id: string
  variantId: string
}

/** Published products of the seeded catalogue. */
export async function products(limit = 20): Promise<SeedProduct[]> {
  const rows = await sql<{ id: string; variant_id: string }>(
    `SELECT p.id, (SELECT v.id FROM product_variant v WHERE v.product_id = p.id AND v.deleted_at IS NULL ORDER BY v.id LIMIT 1) AS variant_id
     FROM product p WHERE p.status = 'published' AND p.deleted_at IS NULL ORDER BY p.id LIMIT $1`,
    [limit]
  )
  return rows.map((r) => ({ id: r.id, variantId: r.variant_id }))
}

/**
 * Places a real order through the store API (cart → items → address →
 * shipping → manual payment → complete), which fires Medusa's `order.placed`.
 */
export async function placeOrder(
  customer: TestCustomer,
  lines: { variantId: string; quantity: number }[]
): Promise<{ id: string; items: { id: string; variant_id: string }[] }> {
  const { regionId } = itState().seed
  const token = customer.token
  const step = async (path: string, body?: unknown, method?: string): Promise<any> => {
    const res = await api(path, { body, token, method })
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`)
    return res.body
  }
  let { cart } = await step("/store/carts", { region_id: regionId })
  for (const line of lines) {
    ;({ cart } = await step(`/store/carts/${cart.id}/line-items`, { variant_id: line.variantId, quantity: line.quantity }))
  }
  const countryCode = cart.region.countries[0].iso_2
  await step(`/store/carts/${cart.id}`, {
    email: customer.email,
    shipping_address: {
      first_name: "Test",
      last_name: "Shopper",
      address_1: "1 Test Street",
      city: "Testville",
      postal_code: "12345",
      country_code: countryCode,
    },
  })
  const { shipping_options } = await step(`/store/shipping-options/${cart.id}`, undefined, "GET")
  await step(`/store/carts/${cart.id}/shipping-methods`, { option_id: shipping_options[0].id })
  await step(`/store/carts/${cart.id}/payment-sessions`, {})
  await step(`/store/carts/${cart.id}/payment-session`, { provider_id: "manual" })
  const completed = await step(`/store/carts/${cart.id}/complete`, {})
  if (completed.type !== "order") throw new Error(`cart did not complete: ${JSON.stringify(completed).slice(0, 500)}`)
  return completed.data
}

/** One checksum per plugin table: every row, in a stable order. */
export async function tableChecksums(): Promise<Record<string, string>> {
  const tables = await sql<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'interest\\_%' ORDER BY 1`
  )
  const out: Record<string, string> = {}
  for (const { name } of tables) {
    const [row] = await sql<{ n: string; sum: string | null }>(
      `SELECT count(*) AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS sum FROM "${name}" t`
    )
    out[name] = `${row.n}:${row.sum ?? "-"}`
  }
  return out
}

/**
 * The checksums once nothing else writes: earlier tests leave background writes
 * behind (queued impressions, card rebuilds after Medusa's events), which would
 * otherwise land between a test's `before` and `after` and be taken for its own.
 */
export async function settledTableChecksums(): Promise<Record<string, string>> {
  let last = await tableChecksums()
  return await waitFor(async () => {
    await new Promise((r) => setTimeout(r, 1000))
    const now = await tableChecksums()
    const same = JSON.stringify(now) === JSON.stringify(last)
    last = now
    return same ? now : null
  })
}

export interface HistoryEvent {
  customerId: string
  productId: string
  type: string
  timestamp: number
  quantity?: number
}

/** Writes simulated history straight into `interest_event`, customer ids and event ids under `prefix`. */
export async function insertHistory(events: HistoryEvent[], prefix: string): Promise<void> {
  for (let i = 0; i < events.length; i += 500) {
    const chunk = events.slice(i, i + 500)
    const params: unknown[] = []
    const values = chunk.map((e, j) => {
      params.push(`${prefix}_${i + j}`, `${prefix}_${e.customerId}`, e.productId, e.type, e.quantity ?? 1, new Date(e.timestamp).toISOString(), `${prefix}_${i + j}`)
      const b = j * 7
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7})`
    })
    await sql(
      `INSERT INTO interest_event (id, customer_id, product_id, type, quantity, occurred_at, client_event_id) VALUES ${values.join(", ")}`,
      params
    )
  }
}
