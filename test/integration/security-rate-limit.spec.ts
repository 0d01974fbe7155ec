import os from "os"
import path from "path"
import { apiFrom, closeDb, createCustomer, itState, products, sql, uniqueId, waitFor } from "../support/harness"

/* eslint-disable @typescript-eslint/no-var-requires */
const { startMedusa } = require("../../scripts/lib/medusa")
const { freePort } = require("../../scripts/lib/postgres")

// The plugin's defaults (src/types/options.ts DEFAULT_RATE_LIMIT), which this instance runs with.
const EVENTS_PER_IP = 3000
const EVENTS_PER_SHOPPER = 600
const IDENTIFY_PER_IP = 60
const RECOMMENDATIONS_PER_IP = 1200
const WINDOW_S = 60

/**
 * The store rate limits with the plugin's default budgets, on an instance of
 * their own sharing the suite's database (the budgets are per instance, and
 * spending the loopback address's budgets on the shared shop would throttle the
 * other files). Linux routes all of 127.0.0.0/8 to loopback, so binding the
 * client socket to 127.0.0.x gives each test a client address of its own.
 * The instance trusts 127.0.0.1 as a proxy; every other client address is
 * untrusted, as every client is under the default (no trusted proxies).
 */
describe("store rate limits (default budgets)", () => {
  let shop: { url: string; stop: () => Promise<void> }
  let productId: string

  const call = (
    from: string,
    method: "GET" | "POST",
    pathname: string,
    { body, headers = {} }: { body?: unknown; headers?: Record<string, string> } = {}
  ): Promise<{ status: number; body: any; headers: Headers }> => apiFrom(from, pathname, { method, body, headers, baseUrl: shop.url })

  /** A batch of `n` views under `visitor`, with client_event_ids from `prefix`. */
  const batch = (visitor: string, prefix: string, n: number): unknown => ({
    visitor_id: visitor,
    events: Array.from({ length: n }, (_, i) => ({ type: "view", product_id: productId, client_event_id: `${prefix}_${i}` })),
  })
  const storedWithPrefix = async (prefix: string): Promise<number> =>
    Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM interest_event WHERE client_event_id LIKE $1`, [`${prefix}%`]))[0].n)

  beforeAll(async () => {
    productId = (await products(1))[0].id
    const port = await freePort()
    shop = await startMedusa({
      port,
      env: { ...itState().shopEnv, INTEREST_TRUSTED_PROXIES: "127.0.0.1" },
      logFile: path.join(os.tmpdir(), `medusa-interest-ratelimit-${process.pid}.log`),
    })
  }, 180_000)
  afterAll(async () => {
    await shop?.stop()
    await closeDb()
  })

  let exhaustedRetryAfter = 0
  let exhaustedAt = 0

  it(`holds one IP to ${EVENTS_PER_IP} events a minute even with a fresh visitor id per request, and stores nothing refused`, async () => {
    const prefix = uniqueId("rl_ip")
    const statuses: number[] = []
    for (let i = 0; i < EVENTS_PER_IP / 100; i++) {
      statuses.push((await call("127.0.0.2", "POST", "/store/interest/events", { body: batch(uniqueId("fresh"), `${prefix}_${i}`, 100) })).status)
    }
    expect(statuses).toEqual(Array(EVENTS_PER_IP / 100).fill(202))

    const refused = await call("127.0.0.2", "POST", "/store/interest/events", { body: batch(uniqueId("fresh"), `${prefix}_over`, 1) })
    exhaustedAt = Date.now()
    expect(refused.status).toBe(429)
    expect(refused.body).toMatchObject({ type: "too_many_requests" })
    expect(refused.body.message).toMatch(/eventsPerIp budget allows 3000 per 60 s/)
    exhaustedRetryAfter = Number(refused.headers.get("retry-after"))
    expect(exhaustedRetryAfter).toBeGreaterThanOrEqual(1)
    expect(exhaustedRetryAfter).toBeLessThanOrEqual(WINDOW_S)

    await waitFor(async () => (await storedWithPrefix(prefix)) === EVENTS_PER_IP)
    expect(await storedWithPrefix(`${prefix}_over`)).toBe(0)
  })

  it("ignores a spoofed X-Forwarded-For from a client that is not a trusted proxy", async () => {
    for (const xff of ["198.51.100.1", "203.0.113.9, 198.51.100.2", "127.0.0.1"]) {
      const res = await call("127.0.0.2", "POST", "/store/interest/events", {
        body: batch(uniqueId("fresh"), uniqueId("rl_xff"), 1),
        headers: { "x-forwarded-for": xff },
      })
      expect(res.status).toBe(429)
    }
  })

  it("budgets the client a trusted proxy forwards, not the proxy", async () => {
    // Through the trusted proxy (127.0.0.1), a shopper at another address has a budget of its own...
    const other = await call("127.0.0.1", "POST", "/store/interest/events", {
      body: batch(uniqueId("proxied"), uniqueId("rl_fwd"), 1),
      headers: { "x-forwarded-for": "198.51.100.7" },
    })
    expect(other.status).toBe(202)
    // ...and the exhausted client is still exhausted when it comes through the proxy.
    const same = await call("127.0.0.1", "POST", "/store/interest/events", {
      body: batch(uniqueId("proxied"), uniqueId("rl_fwd"), 1),
      headers: { "x-forwarded-for": "127.0.0.2" },
    })
    expect(same.status).toBe(429)
  })

  it(`holds one visitor to ${EVENTS_PER_SHOPPER} events a minute whatever address they come from`, async () => {
    const visitor = uniqueId("rl_visitor")
    const prefix = uniqueId("rl_v")
    for (let i = 0; i < EVENTS_PER_SHOPPER / 100; i++) {
      expect((await call("127.0.0.3", "POST", "/store/interest/events", { body: batch(visitor, `${prefix}_${i}`, 100) })).status).toBe(202)
    }
    const moved = await call("127.0.0.4", "POST", "/store/interest/events", { body: batch(visitor, `${prefix}_moved`, 1) })
    expect(moved.status).toBe(429)
    expect(moved.body.message).toMatch(/eventsPerShopper/)
    // The new address itself is not spent: another visitor from it gets through.
    expect((await call("127.0.0.4", "POST", "/store/interest/events", { body: batch(uniqueId("rl_visitor"), uniqueId("rl_v"), 1) })).status).toBe(202)
    await waitFor(async () => (await storedWithPrefix(prefix)) === EVENTS_PER_SHOPPER)
  })

  it("stores the same client source whatever X-Forwarded-For an untrusted client sends, and the forwarded one through a trusted proxy", async () => {
    const visitor = uniqueId("rl_source")
    const send = async (from: string, tag: string, xff?: string): Promise<void> => {
      const res = await call(from, "POST", "/store/interest/events", {
        body: batch(visitor, `${visitor}_${tag}`, 1),
        headers: xff ? { "x-forwarded-for": xff } : {},
      })
      expect(res.status).toBe(202)
    }
    await send("127.0.0.8", "plain")
    await send("127.0.0.8", "spoofed", "198.51.100.1")
    await send("127.0.0.1", "proxied", "127.0.0.8")
    await send("127.0.0.9", "other")
    const sources = async (): Promise<Map<string, string | null>> =>
      new Map(
        (await sql<{ client_event_id: string; client_source: string | null }>(
          `SELECT client_event_id, client_source FROM interest_event WHERE visitor_id = $1`,
          [visitor]
        )).map((r) => [r.client_event_id.slice(visitor.length + 1, -2), r.client_source])
      )
    const s = await waitFor(async () => ((await sources()).size === 4 ? sources() : null))
    expect(s.get("plain")).toEqual(expect.any(String))
    expect(s.get("spoofed")).toBe(s.get("plain"))
    expect(s.get("proxied")).toBe(s.get("plain"))
    expect(s.get("other")).not.toBe(s.get("plain"))
  })

  it(`limits POST /store/interest/identify to ${IDENTIFY_PER_IP} a minute per IP`, async () => {
    const customer = await createCustomer()
    const statuses: number[] = []
    for (let i = 0; i <= IDENTIFY_PER_IP; i++) {
      const res = await call("127.0.0.5", "POST", "/store/interest/identify", {
        body: { visitor_id: uniqueId("rl_identify") },
        headers: { authorization: `Bearer ${customer.token}` },
      })
      statuses.push(res.status)
    }
    expect(statuses.slice(0, IDENTIFY_PER_IP).filter((s) => s === 429)).toEqual([])
    expect(statuses[IDENTIFY_PER_IP]).toBe(429)
  })

  it(`limits GET /store/recommendations to ${RECOMMENDATIONS_PER_IP} a minute per IP`, async () => {
    let next = 0
    const statuses: number[] = []
    const worker = async (): Promise<void> => {
      while (next < RECOMMENDATIONS_PER_IP) {
        next++
        statuses.push((await call("127.0.0.6", "GET", "/store/recommendations?placement=trending&limit=1")).status)
      }
    }
    await Promise.all(Array.from({ length: 6 }, worker))
    expect(statuses.filter((s) => s !== 200)).toEqual([])
    const over = await call("127.0.0.6", "GET", "/store/recommendations?placement=trending&limit=1")
    expect(over.status).toBe(429)
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThanOrEqual(1)
    // Another address is not affected.
    expect((await call("127.0.0.7", "GET", "/store/recommendations?placement=trending&limit=1")).status).toBe(200)
  })

  it("lets the exhausted IP in again once its Retry-After has passed", async () => {
    expect(exhaustedRetryAfter).toBeGreaterThan(0)
    // Waits what the server asked for (at most a window), measured from the refusal.
    const wait = exhaustedAt + exhaustedRetryAfter * 1000 + 250 - Date.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    expect((await call("127.0.0.2", "POST", "/store/interest/events", { body: batch(uniqueId("fresh"), uniqueId("rl_later"), 100) })).status).toBe(202)
  }, 90_000)
})
