import { MedusaRequest, MedusaResponse } from "@medusajs/medusa"
import { resolveOptions } from "../../../options/resolve-options"
import { rateLimitEvents, rateLimitRecommendations, requestShoppers } from "../rate-limit-middleware"
import { fakeResponse } from "../../__tests__/support/fake-response"

type Answer = { status: number; headers: Record<string, string>; body: unknown; passed: boolean }

/** A request as the middleware sees it after Medusa's body parser and customer auth. */
function call(
  handler: typeof rateLimitEvents,
  options: object,
  req: { remoteAddress: string; xff?: string; body?: unknown; customerId?: string; visitorHeader?: string }
): Answer {
  const headers: Record<string, string> = {}
  if (req.xff) headers["x-forwarded-for"] = req.xff
  if (req.visitorHeader) headers["x-interest-visitor-id"] = req.visitorHeader
  const request = {
    socket: { remoteAddress: req.remoteAddress },
    headers,
    body: req.body,
    user: req.customerId ? { customer_id: req.customerId } : undefined,
    scope: { resolve: () => options },
  } as unknown as MedusaRequest
  const res = fakeResponse()
  let passed = false
  handler(request, res as unknown as MedusaResponse, () => (passed = true))
  return { status: res.statusCode, headers: res.headers, body: res.body, passed }
}

const events = (n: number, visitor = "visitor_0001"): { visitor_id: string; events: unknown[] } => ({
  visitor_id: visitor,
  events: Array.from({ length: n }, () => ({ type: "view", product_id: "prod_1" })),
})

describe("rate-limit middleware", () => {
  it("answers 429 with Retry-After and a message naming the budget, and stores nothing (never calls the route)", () => {
    const options = resolveOptions({ rateLimit: { eventsPerShopper: 100, windowMs: 30_000 } })
    expect(call(rateLimitEvents, options, { remoteAddress: "203.0.113.1", body: events(100) }).passed).toBe(true)
    const refused = call(rateLimitEvents, options, { remoteAddress: "203.0.113.1", body: events(1) })
    expect(refused).toMatchObject({ status: 429, passed: false, headers: { "retry-after": "30" } })
    expect(refused.body).toMatchObject({ type: "too_many_requests" })
    expect((refused.body as { message: string }).message).toMatch(/eventsPerShopper budget allows 100 per 30 s/)
  })

  it("ignores a spoofed X-Forwarded-For when no proxy is trusted", () => {
    const options = resolveOptions({ rateLimit: { recommendationsPerIp: 2 } })
    const statuses = ["1.1.1.1", "2.2.2.2", "3.3.3.3"].map(
      (xff) => call(rateLimitRecommendations, options, { remoteAddress: "203.0.113.1", xff }).passed
    )
    expect(statuses).toEqual([true, true, false])
  })

  it("budgets the forwarded client of a trusted proxy, not the proxy", () => {
    const options = resolveOptions({ rateLimit: { recommendationsPerIp: 2 }, trustedProxies: ["10.0.0.0/8"] })
    const through = (xff: string): boolean => call(rateLimitRecommendations, options, { remoteAddress: "10.0.0.1", xff }).passed
    expect([through("198.51.100.1"), through("198.51.100.1"), through("198.51.100.1")]).toEqual([true, true, false])
    expect(through("198.51.100.2")).toBe(true)
    // A client prepending an address to the proxy's header is still itself.
    expect(through("9.9.9.9, 198.51.100.1")).toBe(false)
  })

  it("holds one visitor to their budget whatever IP they come from", () => {
    const options = resolveOptions({ rateLimit: { eventsPerShopper: 100 } })
    expect(call(rateLimitEvents, options, { remoteAddress: "203.0.113.1", body: events(100) }).passed).toBe(true)
    expect(call(rateLimitEvents, options, { remoteAddress: "198.51.100.9", body: events(1) }).status).toBe(429)
  })

  it("does nothing with rateLimit: false", () => {
    const options = resolveOptions({ rateLimit: false })
    for (let i = 0; i < 5; i++) expect(call(rateLimitEvents, options, { remoteAddress: "203.0.113.1", body: events(100) }).passed).toBe(true)
  })

  it("names the customer and every visitor id a request carries", () => {
    const shoppers = (req: Parameters<typeof call>[2]): string[] => {
      let seen: string[] = []
      const handler = ((r: MedusaRequest, _res: MedusaResponse, next: () => void) => {
        seen = requestShoppers(r)
        next()
      }) as typeof rateLimitEvents
      call(handler, {}, req)
      return seen
    }
    expect(shoppers({ remoteAddress: "::1", body: events(1, "vis_body_01") })).toEqual(["v:vis_body_01"])
    expect(shoppers({ remoteAddress: "::1", customerId: "cus_1", visitorHeader: "vis_head_01", body: events(1, "vis_body_01") })).toEqual([
      "c:cus_1",
      "v:vis_head_01",
      "v:vis_body_01",
    ])
    expect(shoppers({ remoteAddress: "::1", body: { visitor_id: 5 } })).toEqual([])
  })
})
