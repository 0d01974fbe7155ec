import os from "os"
import path from "path"
import { closeDb, itState, products, sql, uniqueId, waitFor } from "../support/harness"

/* eslint-disable @typescript-eslint/no-var-requires */
const { startMedusa } = require("../../scripts/lib/medusa")
const { freePort } = require("../../scripts/lib/postgres")

const MAX = 5
const WINDOW_MS = 4000

/**
 * The `rateLimit` option on POST /store/interest/events, on an instance of its
 * own (medusa-config.js reads INTEREST_RATE_LIMIT_MAX / _WINDOW_MS) sharing the
 * suite's database: the shared instance runs with the default (off).
 */
describe("rate limiting of POST /store/interest/events", () => {
  let shop: { url: string; stop: () => Promise<void> }
  let productId: string

  const post = async (visitor: string, clientEventId: string): Promise<{ status: number; body: any; headers: Headers }> => {
    const res = await fetch(`${shop.url}/store/interest/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ visitor_id: visitor, events: [{ type: "view", product_id: productId, client_event_id: clientEventId }] }),
    })
    return { status: res.status, body: await res.json(), headers: res.headers }
  }
  const stored = async (visitor: string): Promise<number> =>
    Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM interest_event WHERE visitor_id = $1`, [visitor]))[0].n)

  beforeAll(async () => {
    productId = (await products(1))[0].id
    const port = await freePort()
    shop = await startMedusa({
      port,
      env: { DATABASE_URL: itState().databaseUrl, INTEREST_RATE_LIMIT_MAX: String(MAX), INTEREST_RATE_LIMIT_WINDOW_MS: String(WINDOW_MS) },
      logFile: path.join(os.tmpdir(), `medusa-interest-ratelimit-${process.pid}.log`),
    })
  }, 180_000)
  afterAll(async () => {
    await shop?.stop()
    await closeDb()
  })

  it(`answers 429 with Retry-After after ${MAX} requests per window, stores nothing refused, and lets the next window through`, async () => {
    const visitor = uniqueId("rl")
    const first = []
    for (let i = 0; i < MAX; i++) first.push(await post(visitor, `${visitor}-${i}`))
    expect(first.map((r) => r.status)).toEqual(Array(MAX).fill(202))
    expect(first[0].headers.get("ratelimit-limit")).toBe(String(MAX))

    const refused = await post(visitor, `${visitor}-refused`)
    expect(refused.status).toBe(429)
    const retryAfter = Number(refused.headers.get("retry-after"))
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(Math.ceil(WINDOW_MS / 1000))
    expect(refused.body).toMatchObject({ type: "too_many_requests" })
    expect(refused.body.message).toMatch(/Too many event requests/)

    // Another shopper behind the same IP has a budget of their own.
    expect((await post(uniqueId("rl"), uniqueId("ce"))).status).toBe(202)

    await waitFor(async () => (await stored(visitor)) === MAX)
    await new Promise((r) => setTimeout(r, retryAfter * 1000 + 200))
    expect((await post(visitor, `${visitor}-later`)).status).toBe(202)
    await waitFor(async () => (await stored(visitor)) === MAX + 1)
    const ids = await sql<{ client_event_id: string }>(`SELECT client_event_id FROM interest_event WHERE visitor_id = $1`, [visitor])
    expect(ids.map((r) => r.client_event_id)).not.toContain(`${visitor}-refused`)
  })

  it("counts refused requests too, so hammering keeps a client out for the window", async () => {
    const visitor = uniqueId("rl")
    const statuses: number[] = []
    for (let i = 0; i < MAX * 3; i++) statuses.push((await post(visitor, `${visitor}-${i}`)).status)
    expect(statuses.filter((s) => s === 202)).toHaveLength(MAX)
    expect(statuses.slice(MAX).every((s) => s === 429)).toBe(true)
  })
})
