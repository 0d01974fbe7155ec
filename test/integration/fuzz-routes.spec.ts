import { SeededRandom } from "../../src/engine/util/random"
import { api, ApiOptions, closeDb, createCustomer, impressionBarrier, products, settledTableChecksums, sql, tableChecksums, TestCustomer, waitFor } from "../support/harness"

/**
 * Generated malformed requests against every store and admin route of the
 * plugin (src/api/**): each one must get a 4xx (never a 5xx), the server must
 * stay up, and no interest_* table may change. The generator is seeded: a
 * failure names the seed and request number, and FUZZ_SEED=<n> replays it.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261122)
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 1200)
const CONCURRENCY = 4

type Rand = () => number
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]

/** Hostile and odd strings; NEVER_VALID below keeps the ones no field of the plugin accepts. */
const BAD_STRINGS = [
  "",
  " ",
  "abc",
  "x'; DROP TABLE interest_event; --",
  "1 OR 1=1",
  "\" OR \"\"=\"",
  "<script>alert(1)</script>",
  "../../../../etc/passwd",
  "%00",
  "nul\u0000byte",
  "ünïcödé-ïd-ünïcödé",
  "😀😀😀😀😀😀😀😀",
  "\u202Eevil\u202C-right-to-left",
  "${jndi:ldap://x/a}",
  "{{7*7}}",
  "a".repeat(65),
  "b".repeat(5000),
  "__proto__",
  "constructor",
  "null",
  "NaN",
  "-1",
  "1e309",
  "2024-13-45T99:99:99Z",
  "tomorrow",
]
/** Values of the wrong JSON type for a string field. */
const BAD_VALUES: unknown[] = [null, 0, -1, 1.5, 1e308, true, false, [], ["x"], {}, { $ne: null }, { __proto__: { a: 1 } }, [[[[[]]]]]]
/** Ids of the right shape that name nothing. */
const UNKNOWN_IDS = ["iseg_01FUZZ000000000000000000", "imv_01FUZZ000000000000000000", "irun_01FUZZ00000000000000000", "cus_01FUZZ000000000000000000", "prod_01FUZZ00000000000000000"]

/** Only strings that are not a valid id of any kind (ids, visitor and client event ids share one alphabet). */
const NEVER_VALID = BAD_STRINGS.filter((s) => s.trim() !== "" && !/^[A-Za-z0-9_.:-]{1,64}$/.test(s))
const badString = (r: Rand): string => pick(r, NEVER_VALID)
const badValue = (r: Rand): unknown => (r() < 0.5 ? badString(r) : pick(r, BAD_VALUES))
/** For optional fields, where null means "not given" and is fine. */
const badPresentValue = (r: Rand): unknown => (r() < 0.5 ? badString(r) : pick(r, BAD_VALUES.filter((v) => v !== null)))
/** HTTP headers carry Latin-1 only: other characters become "?" (still invalid as ids or tokens). */
const headerSafe = (s: string): string => s.replace(/[^\x20-\x7e]/g, "?")
/** Names every plain object inherits: a lookup in a `{}` map finds them (the demo asset route once 500ed on them). */
const BUILTIN_NAMES = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "isPrototypeOf", "__defineGetter__", "prototype"]
/** A path segment that is an unknown or malformed id, or a built-in property name. */
const badId = (r: Rand): string => {
  const x = r()
  return encodeURIComponent(x < 0.3 ? pick(r, UNKNOWN_IDS) : x < 0.55 ? pick(r, BUILTIN_NAMES) : badString(r))
}
/** A query string with one bad parameter, sometimes as an array or nested object (qs syntax). */
function badQuery(r: Rand, params: Record<string, () => string>): string {
  const names = Object.keys(params)
  const name = r() < 0.1 ? `unknown_${Math.floor(r() * 100)}` : pick(r, names)
  const value = params[name]?.() ?? "1"
  const shape = r()
  const q =
    shape < 0.7
      ? `${name}=${encodeURIComponent(value)}`
      : shape < 0.85
        ? `${name}[]=${encodeURIComponent(value)}&${name}[]=x`
        : `${name}[a][b]=${encodeURIComponent(value)}`
  return `?${q}`
}
/** Not a whole number >= 0 (" " and "-0" read as 0, a valid offset). */
const badOffset = (r: Rand): string => pick(r, ["-1", "0.5", "abc", "1e400", "NaN", "Infinity", "1,2", "-99999999999"])
/** Not a whole number in 1..max of any limit. */
const badNumber = (r: Rand): string => pick(r, ["-1", "0.5", "abc", "1e400", "99999999999", "-0", "NaN", "Infinity", " ", "1,2", "100001"])

/**
 * Valid JSON nested deeper than any route accepts: 20,000 arrays or 5,000
 * objects (which overflowed the stack in class-transformer), or one level
 * past the limit inside an envelope that is otherwise right.
 */
function deepJson(r: Rand): ApiOptions {
  const arrays = (n: number): string => "[".repeat(n) + "]".repeat(n)
  const objects = (n: number): string => '{"a":'.repeat(n) + "1" + "}".repeat(n)
  const rawBody = pick(r, [
    () => arrays(20_000),
    () => objects(5_000),
    () => `{"visitor_id": "fuzz_visitor_0001", "events": ${arrays(20_000)}}`,
    () => `{"visitor_id": ${objects(5_000)}}`,
    () => `{"visitor_id": "fuzz_visitor_0001", "events": [{"type": "view", "product_id": ${arrays(15)}}]}`,
    () => `{"name": ${objects(17)}}`,
  ])()
  return { rawBody, contentType: "application/json" }
}

/** A body the body parser or the depth limit refuses before any handler runs (JSON routes). */
function brokenJson(r: Rand): ApiOptions {
  if (r() < 0.25) return deepJson(r)
  return pick(r, [
    { rawBody: '{"visitor_id": ', contentType: "application/json" },
    { rawBody: "{'single': 'quotes'}", contentType: "application/json" },
    { rawBody: "\u0000\u0001\u0002", contentType: "application/json" },
    { rawBody: "[".repeat(5000), contentType: "application/json" },
    { rawBody: `{"a": "${"z".repeat(120_000)}"}`, contentType: "application/json" },
    { rawBody: '{"a": 1}', contentType: "application/json; charset=utf-16" },
    { rawBody: '{"a": 1}', contentType: "application/json", headers: { "content-encoding": "gzip" } },
    { rawBody: '{"a": 1}', contentType: "application/json", headers: { "content-encoding": "br-fuzz" } },
  ] as ApiOptions[])
}

interface Ctx {
  productId: string
  /** A variant of another product than productId. */
  otherVariantId: string
  customer: TestCustomer
  adminToken: string
}
type Case = (r: Rand, c: Ctx) => { path: string; options: ApiOptions }

const validEvent = (c: Ctx): Record<string, unknown> => ({ type: "view", product_id: c.productId })
/** One field of an event made invalid (every event of the batch is bad, so nothing is accepted). */
function badEvent(r: Rand, c: Ctx): unknown {
  const e = validEvent(c)
  const field = pick(r, ["type", "product_id", "quantity", "occurred_at", "client_event_id", "recommendation_id", "variant_id", "extra", "whole"])
  if (field === "whole") return badValue(r)
  if (field === "extra") return { ...e, [badString(r)]: 1 }
  if (field === "quantity") return { ...e, quantity: pick(r, [0, -1, 1.5, 1001, 1e308, "3", [], {}]) }
  if (field === "product_id" && r() < 0.3) return { ...e, product_id: pick(r, UNKNOWN_IDS) }
  // Well-formed but naming no variant (or another product's): rejected like an unknown product.
  if (field === "variant_id" && r() < 0.3) return { ...e, variant_id: pick(r, ["variant_01FUZZ0000000000000000000", c.otherVariantId]) }
  if (field === "client_event_id") return { ...e, client_event_id: pick(r, ["", "a b", "c".repeat(129), 5, {}, "x'--"]) }
  return { ...e, [field]: field === "type" || field === "product_id" ? badValue(r) : badPresentValue(r) }
}

/** Every plugin route with the ways to make a request to it malformed. */
const CASES: Record<string, Case> = {
  "POST /store/interest/events (bad events)": (r, c) => {
    const events = Array.from({ length: 1 + Math.floor(r() * 4) }, () => badEvent(r, c))
    const body: Record<string, unknown> = r() < 0.5 ? { visitor_id: "fuzz_visitor_0001", events } : { visitor_id: badValue(r), events: [validEvent(c)] }
    return { path: "/store/interest/events", options: { method: "POST", body } }
  },
  "POST /store/interest/events (bad envelope)": (r, c) => {
    const body = pick(r, [
      () => badValue(r),
      () => ({ visitor_id: "fuzz_visitor_0001", events: badValue(r) }),
      () => ({ visitor_id: "fuzz_visitor_0001", event: badEvent(r, c) }),
      () => ({ visitor_id: "fuzz_visitor_0001", events: Array.from({ length: 101 + Math.floor(r() * 50) }, () => validEvent(c)) }),
      () => ({ visitor_id: "fuzz_visitor_0001", events: [validEvent(c)], [badString(r)]: badValue(r) }),
      () => ({ events: [validEvent(c)] }),
    ])()
    return { path: "/store/interest/events", options: { method: "POST", body } }
  },
  "POST /store/interest/events (bad encoding)": (r, c) => {
    const valid = JSON.stringify({ visitor_id: "fuzz_visitor_0001", events: [validEvent(c)] })
    const options = pick(r, [
      () => brokenJson(r),
      () => ({ rawBody: valid, contentType: pick(r, ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml"]) }),
      () => ({ rawBody: valid }),
      () => ({ body: { visitor_id: "fuzz_visitor_0001", events: [validEvent(c)] }, headers: { "x-publishable-api-key": headerSafe(badString(r)) } }),
    ])()
    return { path: "/store/interest/events", options: { method: "POST", ...options } }
  },
  "POST /store/interest/identify": (r, c) => {
    const options: ApiOptions = pick(r, [
      () => ({ body: { visitor_id: badValue(r) }, token: c.customer.token }),
      () => ({ body: { visitor_id: "fuzz_visitor_0001", [badString(r)]: 1 }, token: c.customer.token }),
      () => ({ body: badValue(r), token: c.customer.token }),
      () => ({ ...brokenJson(r), token: c.customer.token }),
      () => ({ body: { visitor_id: "fuzz_visitor_0001" }, token: r() < 0.5 ? undefined : headerSafe(badString(r)) }),
    ])()
    return { path: "/store/interest/identify", options: { method: "POST", ...options } }
  },
  "GET /store/recommendations": (r) => {
    const q = badQuery(r, {
      placement: () => badString(r),
      limit: () => badNumber(r),
      product_id: () => badString(r),
      region_id: () => badString(r),
      currency_code: () => pick(r, ["eu", "euro", "€€€", "12"]),
      // Refused in the URL even when valid: it belongs in the x-interest-visitor-id header.
      visitor_id: () => (r() < 0.5 ? badString(r) : "fuzz_visitor_0001"),
      exclude: () => badString(r).replace(/,/g, ";"),
    })
    return { path: `/store/recommendations${q}`, options: {} }
  },
  "GET /store/recommendations (bad visitor header)": (r) => ({
    path: "/store/recommendations",
    options: { headers: { "x-interest-visitor-id": headerSafe(badString(r)) } },
  }),
  "GET|DELETE /store/customers/me/interests (not logged in)": (r) => ({
    path: `/store/customers/me/interests${r() < 0.3 ? `?customer_id=${pick(r, UNKNOWN_IDS)}` : ""}`,
    options: {
      ...(r() < 0.5 ? { method: "GET" } : { method: "DELETE", ...(r() < 0.3 ? deepJson(r) : {}) }),
      token: r() < 0.3 ? undefined : pick(r, ["x", "eyJhbGciOiJub25lIn0.eyJjdXN0b21lcl9pZCI6ImN1c18xIn0.", headerSafe(badString(r))]),
    },
  }),
  // Only bodies refused before the handler: any other DELETE erases the customer's data.
  "DELETE /store/customers/me/interests (too deep a body)": (r, c) => ({
    path: "/store/customers/me/interests",
    options: { method: "DELETE", token: c.customer.token, ...deepJson(r) },
  }),
  "GET /admin/interest/segments": (r, c) => ({
    path: `/admin/interest/segments${badQuery(r, { status: () => badString(r), q: () => "q".repeat(201), offset: () => badOffset(r), limit: () => badNumber(r) })}`,
    options: { token: c.adminToken },
  }),
  "GET /admin/interest/segments/:id": (r, c) => ({ path: `/admin/interest/segments/${badId(r)}`, options: { token: c.adminToken } }),
  "POST /admin/interest/segments/:id": (r, c) => ({
    path: `/admin/interest/segments/${badId(r)}`,
    options: pick(r, [
      () => ({ method: "POST", token: c.adminToken, body: { name: pick(r, ["", "   ", "n".repeat(121), 5, null, []]) } }),
      () => ({ method: "POST", token: c.adminToken, body: { pinned: pick(r, ["yes", 1, null, {}]) } }),
      () => ({ method: "POST", token: c.adminToken, body: { description: "d".repeat(2001) } }),
      () => ({ method: "POST", token: c.adminToken, body: { name: "Renamed by fuzz" } }),
      () => ({ method: "POST", token: c.adminToken, body: { [badString(r)]: 1 } }),
      () => ({ method: "POST", token: c.adminToken, ...brokenJson(r) }),
    ])(),
  }),
  "GET /admin/interest/segments/:id/members": (r, c) => ({
    path: `/admin/interest/segments/${badId(r)}/members${r() < 0.5 ? badQuery(r, { offset: () => badOffset(r), limit: () => badNumber(r) }) : ""}`,
    options: { token: c.adminToken },
  }),
  "POST /admin/interest/segments/:id/sync-customer-group": (r, c) => ({
    path: `/admin/interest/segments/${badId(r)}/sync-customer-group`,
    options: { method: "POST", token: c.adminToken, ...(r() < 0.3 ? deepJson(r) : { body: r() < 0.5 ? {} : badValue(r) }) },
  }),
  "GET /admin/interest/models": (r, c) => ({
    path: `/admin/interest/models${badQuery(r, { status: () => badString(r), offset: () => badOffset(r), limit: () => badNumber(r) })}`,
    options: { token: c.adminToken },
  }),
  "GET|DELETE /admin/interest/models/:id": (r, c) => ({
    path: `/admin/interest/models/${badId(r)}`,
    options: r() < 0.5 ? { method: "GET", token: c.adminToken } : { method: "DELETE", token: c.adminToken, ...(r() < 0.5 ? deepJson(r) : {}) },
  }),
  "POST /admin/interest/models/:id/activate": (r, c) => ({
    path: `/admin/interest/models/${badId(r)}/activate`,
    options: { method: "POST", token: c.adminToken, ...(r() < 0.3 ? deepJson(r) : { body: {} }) },
  }),
  // Only bodies the parser refuses: any request it lets through starts a real training run.
  "POST /admin/interest/models/train": (r, c) => ({
    path: "/admin/interest/models/train",
    options: r() < 0.2 ? { method: "POST", token: pick(r, [undefined, "x"]) } : { method: "POST", token: c.adminToken, ...brokenJsonOnly(r) },
  }),
  "GET /admin/interest/runs/:id": (r, c) => ({ path: `/admin/interest/runs/${badId(r)}`, options: { token: c.adminToken } }),
  "GET /admin/interest/products/:id": (r, c) => ({
    path: `/admin/interest/products/${badId(r)}${r() < 0.3 ? badQuery(r, { limit: () => badNumber(r) }) : ""}`,
    options: { token: c.adminToken },
  }),
  // The shared shop runs without the demo page: every name is a 404, which the unit test of the route checks with it on.
  "GET /interest-demo/:asset": (r) => ({ path: `/interest-demo/${badId(r)}`, options: {} }),
  "GET /admin/interest/customers/:id": (r, c) => ({
    path: `/admin/interest/customers/${badId(r)}${r() < 0.5 ? badQuery(r, { period: () => badString(r), limit: () => badNumber(r) }) : ""}`,
    options: { token: c.adminToken },
  }),
  // Unknown customer ids (404) and malformed ones (400): nothing is erased.
  "DELETE /admin/interest/customers/:id/interests": (r, c) => ({
    path: `/admin/interest/customers/${badId(r)}/interests`,
    options: { method: "DELETE", token: c.adminToken },
  }),
  "GET /admin/interest/stats": (r, c) => ({
    path: `/admin/interest/stats${badQuery(r, { from: () => badString(r), to: () => pick(r, ["2024-02-30", "2024-01-01T25:00:00Z", "yesterday", "1e9"]) })}`,
    options: { token: c.adminToken },
  }),
  "GET /admin/interest/products/:id/contributors": (r, c) => ({
    path:
      r() < 0.4
        ? `/admin/interest/products/${badId(r)}/contributors`
        : `/admin/interest/products/${c.productId}/contributors${badQuery(r, { from: () => badString(r), to: () => pick(r, ["2024-02-30", "yesterday", "1e9"]) })}`,
    options: { token: c.adminToken },
  }),
  "GET /admin/interest/contributors/suspicious": (r, c) => ({
    path: `/admin/interest/contributors/suspicious${badQuery(r, { from: () => badString(r), to: () => badString(r), limit: () => badNumber(r) })}`,
    options: { token: c.adminToken },
  }),
  "any admin route without a valid admin token": (r, c) => ({
    path: pick(r, ["/admin/interest/segments", "/admin/interest/models", "/admin/interest/stats", `/admin/interest/customers/${c.customer.id}`, "/admin/interest/runs/irun_x"]),
    options: { token: pick(r, [undefined, c.customer.token, "x", "eyJhbGciOiJub25lIn0.eyJ1c2VyX2lkIjoidXNyXzEifQ."]) },
  }),
}

/** Broken or too deep JSON that never reaches the handler (no charset/encoding variants a parser might accept). */
function brokenJsonOnly(r: Rand): ApiOptions {
  if (r() < 0.4) return deepJson(r)
  return pick(r, [
    { rawBody: '{"a": ', contentType: "application/json" },
    { rawBody: "{'a': 1}", contentType: "application/json" },
    { rawBody: "[".repeat(5000), contentType: "application/json" },
    { rawBody: `{"a": "${"z".repeat(120_000)}"}`, contentType: "application/json" },
  ] as ApiOptions[])
}


describe("fuzz: malformed requests on every plugin route", () => {
  let ctx: Ctx

  beforeAll(async () => {
    const admin = await api("/admin/auth/token", { body: { email: "admin@example.com", password: "supersecret" } })
    expect(admin.status).toBe(200)
    const [product, other] = await products(2)
    ctx = { productId: product.id, otherVariantId: other.variantId, customer: await createCustomer(), adminToken: admin.body.access_token }
    // Let earlier files' events reach their tables before the first checksum.
    await waitFor(async () => Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM staged_job`))[0].n) === 0, { timeoutMs: 60000 })
  })
  afterAll(closeDb)

  it(`answers ${REQUESTS} generated requests (seed ${SEED}) with 4xx and changes no interest_* table`, async () => {
    // Served once before the checksums, so that the barrier's list below writes nothing but its impression.
    await impressionBarrier()
    const before = await settledTableChecksums()
    expect(Object.keys(before).length).toBeGreaterThanOrEqual(8)
    const seeded = new SeededRandom(SEED)
    const rand: Rand = () => seeded.next()
    const names = Object.keys(CASES)
    // Generated up front, in order, so a run is the same whatever the timing.
    const requests = Array.from({ length: REQUESTS }, (_, i) => {
      const name = names[i % names.length]
      return { i, name, ...CASES[name](rand, ctx) }
    })
    const failures: string[] = []
    const answered = new Set<string>()
    let next = 0
    const worker = async (): Promise<void> => {
      while (next < requests.length) {
        const req = requests[next++]
        let status: number
        try {
          const res = await api(req.path, req.options)
          status = res.status
          // Medusa's admin auth answers a plain-text "Unauthorized".
          if (typeof res.body?.message === "string" || res.body === "Unauthorized") answered.add(req.name)
        } catch (e) {
          status = 0
          failures.push(`#${req.i} ${req.name}: no answer (${(e as Error).message})`)
        }
        if (status && (status < 400 || status >= 500)) {
          failures.push(`#${req.i} ${req.name}: ${status} for ${req.options.method ?? "GET"} ${req.path.slice(0, 200)} ${JSON.stringify(req.options.body ?? req.options.rawBody ?? "").slice(0, Number(process.env.FUZZ_SHOW ?? 200))}`)
        }
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, worker))
    expect(failures.slice(0, 20)).toEqual([])
    // Each route answered with its own error at least once: a mistyped path
    // would only get Express's HTML "Cannot GET" 404 and test nothing.
    expect(names.filter((name) => !answered.has(name))).toEqual([])
    expect((await api("/health")).status).toBe(200)
    // Late writes would come through staged jobs and queued impressions: wait until the bus took every job and a later list's impression is stored.
    await waitFor(async () => (await sql(`SELECT 1 FROM staged_job LIMIT 1`)).length === 0, { timeoutMs: 60000, what: "every staged job taken by the bus" })
    const marker = await impressionBarrier()
    await sql(`DELETE FROM interest_impression WHERE id = $1`, [marker])
    expect(await tableChecksums()).toEqual(before)
  })
})
