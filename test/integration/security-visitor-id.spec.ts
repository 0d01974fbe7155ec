import fs from "fs"
import { createInterestClient } from "../../src/client"
import { api, closeDb, createCustomer, itState, products, sql, uniqueId, waitFor } from "../support/harness"

/**
 * A visitor id is a bearer secret: whoever holds it reads that visitor's
 * recently viewed and for-you lists. It travels in the x-interest-visitor-id
 * header (or a JSON body), never in a URL, which access logs keep.
 */
const HEADER = "x-interest-visitor-id"
const firstIds = (body: { products: { id: string }[] }, n: number): string[] => body.products.slice(0, n).map((p) => p.id).sort()

describe("security: the visitor id is kept out of URLs and logs", () => {
  let viewed: string[]

  beforeAll(async () => {
    // The catalogue's last products: not among the popular fill-ins every visitor gets.
    viewed = (await products(40)).slice(-3).map((p) => p.id)
  })
  afterAll(closeDb)

  it.each([
    ["a valid visitor id", `visitor_id=${uniqueId("vis")}`],
    ["a visitor id next to the header", `placement=trending&visitor_id=${uniqueId("vis")}`],
    ["an array of visitor ids", `visitor_id[]=${uniqueId("vis")}&visitor_id[]=${uniqueId("vis")}`],
  ])("refuses %s in the query string with a 400 that names the header", async (_, query) => {
    const res = await api(`/store/recommendations?${query}`, { headers: { [HEADER]: uniqueId("vis") } })
    expect(res.status).toBe(400)
    expect(res.body.type).toBe("invalid_data")
    expect(res.body.message).toMatch(/visitor_id is not accepted in the URL/)
    expect(res.body.message).toContain(HEADER)
  })

  it("serves a visitor's own history to the header, and records the impression for that visitor", async () => {
    const visitor = uniqueId("vis")
    const posted = await api("/store/interest/events", {
      body: { visitor_id: visitor, events: viewed.map((product_id) => ({ type: "view", product_id })) },
    })
    expect(posted.status).toBe(202)
    await waitFor(async () => (await sql(`SELECT 1 FROM interest_event WHERE visitor_id = $1`, [visitor])).length === 3)

    const own = await api("/store/recommendations?placement=recently_viewed", { headers: { [HEADER]: visitor } })
    expect(own.status).toBe(200)
    expect(firstIds(own.body, 3)).toEqual([...viewed].sort())
    const [impression] = await waitFor(() =>
      sql<{ visitor_id: string | null }>(`SELECT visitor_id FROM interest_impression WHERE id = $1`, [own.body.recommendation_id]).then(
        (rows) => rows.length > 0 && rows
      )
    )
    expect(impression.visitor_id).toBe(visitor)
  })

  it("answers a malformed header with a 400 that does not repeat it", async () => {
    for (const bad of ["short", "x'; DROP TABLE interest_event; --", "a".repeat(65)]) {
      const res = await api("/store/recommendations", { headers: { [HEADER]: bad } })
      expect([bad, res.status]).toEqual([bad, 400])
      expect(res.body.message).toContain(HEADER)
      expect(res.body.message).not.toContain(bad)
    }
  })

  it("the storefront client works against the shop with the id in headers and bodies only, and the access log never holds it", async () => {
    const urls: string[] = []
    const visitorId = uniqueId("secretvis")
    const client = createInterestClient({
      baseUrl: itState().baseUrl,
      storage: false,
      visitorId,
      fetch: (url, init) => {
        urls.push(url)
        return fetch(url, init)
      },
    })
    for (const product_id of viewed) client.track({ type: "view", product_id })
    await client.flush()
    await waitFor(async () => (await sql(`SELECT 1 FROM interest_event WHERE visitor_id = $1`, [visitorId])).length === 3)
    const list = await client.getRecommendations({ placement: "recently_viewed", limit: 6 })
    expect(firstIds(list, 3)).toEqual([...viewed].sort())

    const customer = await createCustomer()
    client.setCustomerToken(customer.token)
    const identified = await client.identify()
    expect(identified.moved).toBe(3)
    await client.close()
    expect(urls.length).toBeGreaterThanOrEqual(3)
    for (const url of urls) expect(url).not.toContain(visitorId)

    // Medusa writes one access-log line per request (morgan "combined": URL,
    // referrer, user agent). A marker request shows the lines above are in.
    const logFile = (itState() as ReturnType<typeof itState> & { logFile?: string }).logFile
    expect(logFile && fs.existsSync(logFile)).toBeTruthy()
    const marker = uniqueId("marker")
    expect((await api(`/store/interest/ping?m=${marker}`)).status).toBe(200)
    const log = await waitFor(async () => {
      const text = fs.readFileSync(logFile as string, "utf8")
      return text.includes(marker) && text
    })
    expect(log).toContain("/store/recommendations?placement=recently_viewed")
    expect(log).not.toContain(visitorId)
  })
})
