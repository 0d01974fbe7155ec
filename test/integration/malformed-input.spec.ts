import fs from "fs"
import http from "http"
import path from "path"
import { api, ApiOptions, closeDb, createCustomer, eventBarrier, itState, products, settledTableChecksums, sql, tableChecksums, uniqueId, waitFor } from "../support/harness"

/**
 * Every malformed request gets a 4xx with a message and writes nothing. Files
 * run one at a time (--runInBand), so "nothing" is checked on the whole table
 * and on the bus's staged jobs.
 */
describe("POST /store/interest/events rejects malformed input and writes nothing", () => {
  let productId: string
  const visitor = uniqueId("vis")
  const ev = (over: Record<string, unknown> = {}): Record<string, unknown> => ({ type: "view", product_id: productId, ...over })
  const ok = (events: unknown[]): Record<string, unknown> => ({ visitor_id: visitor, events })

  const pending = async (): Promise<number> =>
    Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM staged_job WHERE event_name LIKE 'interest.%'`))[0].n)
  const stored = async (): Promise<number> =>
    Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM interest_event`))[0].n)

  beforeAll(async () => {
    productId = (await products(1))[0].id
    await waitFor(async () => (await pending()) === 0)
  })
  afterAll(closeDb)

  const cases: [string, () => ApiOptions, number][] = [
    ["a text/plain body", () => ({ rawBody: "view prod_1", contentType: "text/plain" }), 415],
    ["a form-encoded body", () => ({ rawBody: "visitor_id=abcdefgh&type=view", contentType: "application/x-www-form-urlencoded" }), 415],
    ["no content type", () => ({ rawBody: JSON.stringify(ok([ev()])) }), 415],
    ["invalid JSON", () => ({ rawBody: '{"visitor_id": "abcdefgh", "events": [', contentType: "application/json" }), 400],
    ["a JSON array body", () => ({ body: [ev()] }), 400],
    ["a JSON string body", () => ({ rawBody: '"hello"', contentType: "application/json" }), 400],
    ["neither events nor event", () => ({ body: { visitor_id: visitor } }), 400],
    ["events that is an object", () => ({ body: { visitor_id: visitor, events: ev() } }), 400],
    ["an empty events array", () => ({ body: ok([]) }), 400],
    ["101 events (over the batch limit)", () => ({ body: ok(Array.from({ length: 101 }, () => ev())) }), 400],
    ["a payload over the size limit", () => ({ body: ok([ev({ client_event_id: "x".repeat(100_000) })]) }), 413],
    ["both event and events", () => ({ body: { visitor_id: visitor, event: ev(), events: [ev()] } }), 400],
    ["an unknown top-level field", () => ({ body: { ...ok([ev()]), customer_id: "cus_123" } }), 400],
    ["no visitor id and no login", () => ({ body: { events: [ev()] } }), 400],
    ["a too short visitor id", () => ({ body: { visitor_id: "abc", events: [ev()] } }), 400],
    ["a visitor id with SQL injection", () => ({ body: { visitor_id: "x'; DROP TABLE interest_event; --", events: [ev()] } }), 400],
    ["a numeric visitor id", () => ({ body: { visitor_id: 12345678, events: [ev()] } }), 400],
    ["an event without type", () => ({ body: ok([{ product_id: productId }]) }), 400],
    ["an event without product_id", () => ({ body: ok([{ type: "view" }]) }), 400],
    ["an unknown event type", () => ({ body: ok([ev({ type: "teleport" })]) }), 400],
    ["a purchase posted by the storefront", () => ({ body: ok([ev({ type: "purchase" })]) }), 400],
    ["a numeric product id", () => ({ body: ok([ev({ product_id: 42 })]) }), 400],
    ["a product id with SQL injection", () => ({ body: ok([ev({ product_id: "prod_1' OR '1'='1" })]) }), 400],
    ["a product id with script injection", () => ({ body: ok([ev({ product_id: "<script>alert(1)</script>" })]) }), 400],
    ["an unknown product", () => ({ body: ok([ev({ product_id: "prod_01UNKNOWN000000000000000" })]) }), 400],
    ["an over-long product id", () => ({ body: ok([ev({ product_id: "p".repeat(65) })]) }), 400],
    ["a non-ISO occurred_at", () => ({ body: ok([ev({ occurred_at: "yesterday" })]) }), 400],
    ["an occurred_at in the future", () => ({ body: ok([ev({ occurred_at: new Date(Date.now() + 86_400_000).toISOString() })]) }), 400],
    ["an occurred_at older than the limit", () => ({ body: ok([ev({ occurred_at: "2001-01-01T00:00:00Z" })]) }), 400],
    ["a zero quantity", () => ({ body: ok([ev({ type: "add_to_cart", quantity: 0 })]) }), 400],
    ["a fractional quantity", () => ({ body: ok([ev({ type: "add_to_cart", quantity: 1.5 })]) }), 400],
    ["a string quantity", () => ({ body: ok([ev({ type: "add_to_cart", quantity: "3" })]) }), 400],
    ["an unknown field in an event", () => ({ body: ok([ev({ price: 10 })]) }), 400],
    ["an event that is a string", () => ({ body: ok(["view prod_1"]) }), 400],
    ["an event that is null", () => ({ body: ok([null]) }), 400],
    ["an over-long client event id", () => ({ body: ok([ev({ client_event_id: "c".repeat(129) })]) }), 400],
    ["a client event id with spaces", () => ({ body: ok([ev({ client_event_id: "a b" })]) }), 400],
    ["a recommendation id with injection", () => ({ body: ok([ev({ recommendation_id: "1; DELETE FROM interest_event" })]) }), 400],
    ["a prototype-pollution event", () => ({ rawBody: `{"visitor_id":"${visitor}","events":[{"__proto__":{"type":"view"},"product_id":"${productId}"}]}`, contentType: "application/json" }), 400],
    ["an unknown publishable key", () => ({ body: ok([ev()]), headers: { "x-publishable-api-key": "pk_unknown" } }), 400],
    ["a body declared gzip that is not", () => ({ body: ok([ev()]), headers: { "content-encoding": "gzip" } }), 400],
    ["a UTF-8 body declared UTF-16", () => ({ rawBody: JSON.stringify(ok([ev()])), contentType: "application/json; charset=utf-16" }), 400],
    ["a body in an unsupported charset", () => ({ rawBody: JSON.stringify(ok([ev()])), contentType: "application/json; charset=latin-9000" }), 415],
    ["a body in an unknown encoding", () => ({ body: ok([ev()]), headers: { "content-encoding": "x-fuzz" } }), 415],
    ["a NUL byte in a client event id", () => ({ body: ok([ev({ client_event_id: "abc\u0000def" })]) }), 400],
  ]

  // Status second, so the title shows it (jest fills the placeholders in argument order).
  it.each(cases.map(([name, request, status]) => [name, status, request] as const))("%s gets a %i", async (_name, status, request) => {
    const before = await stored()
    const res = await api("/store/interest/events", { method: "POST", ...request() })
    expect(res.status).toBe(status)
    expect(typeof res.body?.message).toBe("string")
    expect(res.body.message.length).toBeGreaterThan(0)
    expect(await pending()).toBe(0)
    expect(await stored()).toBe(before)
  })

  it("the server is still up and nothing arrived later", async () => {
    const before = await stored()
    // A good event stored after all the malformed ones proves they were handled past where they could have written.
    await eventBarrier(productId)
    expect(await stored()).toBe(before + 1)
    expect(await sql(`SELECT id FROM interest_event WHERE visitor_id = $1`, [visitor])).toEqual([])
    expect(await pending()).toBe(0)
    const health = await api("/health")
    expect(health.status).toBe(200)
  })
})

/** Every route of the plugin, from its files: `src/api/<path>/route.ts` and the methods it exports. */
function pluginRoutes(): { method: string; path: string }[] {
  const root = path.join(__dirname, "..", "..", "src", "api")
  const out: { method: string; path: string }[] = []
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory() && entry.name !== "__tests__") walk(full)
      else if (entry.name === "route.ts") {
        const route = "/" + path.relative(root, dir).split(path.sep).map((part) => (part.startsWith("[") ? "deep_01DEEP" : part)).join("/")
        for (const [, method] of fs.readFileSync(full, "utf8").matchAll(/export const (GET|POST|PUT|PATCH|DELETE) /g)) out.push({ method, path: route })
      }
    }
  }
  walk(root)
  return out.sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`))
}

/** A request with a raw body on any method (fetch refuses a body on GET). */
function send(method: string, route: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${itState().baseUrl}${route}`,
      { method, headers: { ...headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) } },
      (res) => {
        let text = ""
        res.setEncoding("utf8")
        res.on("data", (chunk) => (text += chunk))
        res.on("end", () => {
          let parsed: unknown = text
          try {
            parsed = JSON.parse(text)
          } catch {
            // keep the text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed })
        })
      }
    )
    req.on("error", reject)
    req.end(body)
  })
}


describe("deep JSON on every plugin route gets a 400 before any handler runs, and writes nothing", () => {
  const routes = pluginRoutes()
  const arrays = (n: number): string => "[".repeat(n) + "]".repeat(n)
  const objects = (n: number): string => '{"a":'.repeat(n) + "1" + "}".repeat(n)
  const bodies: [string, string][] = [
    ["20,000 nested arrays", arrays(20_000)],
    ["5,000 nested objects", objects(5_000)],
    ["17 levels inside a valid envelope", `{"visitor_id": "deep_visitor_01", "events": [{"type": "view", "product_id": ${arrays(15)}}]}`],
  ]
  let headers: (route: string) => Record<string, string>

  beforeAll(async () => {
    const admin = await api("/admin/auth/token", { body: { email: "admin@example.com", password: "supersecret" } })
    expect(admin.status).toBe(200)
    const customer = await createCustomer()
    headers = (route) => ({ authorization: `Bearer ${route.startsWith("/admin/") ? admin.body.access_token : customer.token}` })
  })
  afterAll(closeDb)

  it("finds the plugin's routes", () => {
    expect(routes.length).toBeGreaterThanOrEqual(20)
    expect(routes).toContainEqual({ method: "POST", path: "/store/interest/identify" })
    expect(routes).toContainEqual({ method: "POST", path: "/admin/interest/models/train" })
  })

  it.each(bodies)("%s", async (_name, body) => {
    const before = await settledTableChecksums()
    const answers: string[] = []
    for (const { method, path: route } of routes) {
      const res = await send(method, route, body, headers(route))
      answers.push(`${method} ${route}: ${res.status} ${typeof res.body === "object" ? res.body?.message : String(res.body).slice(0, 80)}`)
    }
    const expected = routes.map(({ method, path: route }) => `${method} ${route}: 400 The request body is nested too deeply (limit 16).`)
    expect(answers).toEqual(expected)
    expect(await tableChecksums()).toEqual(before)
    expect((await api("/health")).status).toBe(200)
  })
})
