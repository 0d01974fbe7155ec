import { createServerInterestClient, InterestClientError, VISITOR_HEADER } from ".."
import { fakeFetch } from "./fake-fetch"

const LIST = { recommendation_id: "irec_1", placement: "for_you", model_version_id: null, segment: null, cold: true, products: [] }
const FAST_RETRY = { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 }

describe("server client: lists for the shopper of each request", () => {
  it("sends each call's own token and visitor id, and nothing of an earlier call", async () => {
    const { fetch, calls } = fakeFetch({ status: 200, body: LIST })
    const server = createServerInterestClient({ baseUrl: "http://shop/", fetch, publishableKey: "pk_1" })
    await server.getRecommendations({ customerToken: "jwt-a", visitorId: "v_visitor_aaaa" }, { placement: "for_you", regionId: "reg_1", limit: 8 })
    await server.getRecommendations({ visitorId: "v_visitor_bbbb" }, { placement: "trending" })
    await server.getRecommendations({})

    expect(calls.map((c) => new URL(c.url).searchParams.get("placement"))).toEqual(["for_you", "trending", "for_you"])
    expect(calls[0].url).toBe("http://shop/store/recommendations?placement=for_you&limit=8&region_id=reg_1")
    expect(calls[0].headers).toMatchObject({ authorization: "Bearer jwt-a", [VISITOR_HEADER]: "v_visitor_aaaa", "x-publishable-api-key": "pk_1" })
    expect(calls[1].headers[VISITOR_HEADER]).toBe("v_visitor_bbbb")
    expect(calls[1].headers.authorization).toBeUndefined()
    // No shopper named: neither a visitor id of the server's own nor the previous shopper's.
    expect(calls[2].headers[VISITOR_HEADER]).toBeUndefined()
    expect(calls[2].headers.authorization).toBeUndefined()
  })

  it("keeps its reads out of the server's fetch cache", async () => {
    const inits: RequestInit[] = []
    const fetch = async (_url: string, init: RequestInit = {}): Promise<Response> => {
      inits.push(init)
      return new Response(JSON.stringify(LIST), { status: 200 })
    }
    const server = createServerInterestClient({ baseUrl: "http://shop", fetch })
    await server.getRecommendations({ visitorId: "v_visitor_aaaa" })
    expect(inits[0].cache).toBe("no-store")
    // A server has no cookie jar to send: credentials stay the fetch default.
    expect(inits[0].credentials).toBeUndefined()
  })

  it("drops a visitor id the server would refuse (a tampered cookie) instead of failing the page", async () => {
    const { fetch, calls } = fakeFetch({ status: 200, body: LIST })
    const server = createServerInterestClient({ baseUrl: "http://shop", fetch })
    await expect(server.getRecommendations({ visitorId: "bad id!" })).resolves.toEqual(LIST)
    expect(calls[0].headers[VISITOR_HEADER]).toBeUndefined()
  })

  it("passes the shopper's forwarded address on, but never lets it replace the token or the visitor id", async () => {
    const { fetch, calls } = fakeFetch({ status: 200, body: LIST })
    const server = createServerInterestClient({ baseUrl: "http://shop", fetch })
    await server.getRecommendations({
      customerToken: "jwt-a",
      visitorId: "v_visitor_aaaa",
      headers: { "X-Forwarded-For": "203.0.113.7", Authorization: "Bearer forged", [VISITOR_HEADER.toUpperCase()]: "v_other_visitor" },
    })
    expect(calls[0].headers).toEqual({
      "x-forwarded-for": "203.0.113.7",
      accept: "application/json",
      authorization: "Bearer jwt-a",
      [VISITOR_HEADER]: "v_visitor_aaaa",
    })
  })

  it("gives up after its short retry budget, so a page does not wait out a long backoff", async () => {
    const { fetch, calls } = fakeFetch({ status: 503, body: { message: "down" }, headers: { "retry-after": "120" } })
    const server = createServerInterestClient({ baseUrl: "http://shop", fetch, retry: FAST_RETRY })
    const started = Date.now()
    const error = await server.getRecommendations({ visitorId: "v_visitor_aaaa" }).catch((e: Error) => e)
    expect(error).toBeInstanceOf(InterestClientError)
    expect((error as InterestClientError).status).toBe(503)
    expect(calls).toHaveLength(2)
    // Retry-After (120 s) is capped by maxDelayMs.
    expect(Date.now() - started).toBeLessThan(2000)
  })
})

describe("server client: identify at login", () => {
  it("posts the visitor id with the customer's token", async () => {
    const { fetch, calls } = fakeFetch({ status: 200, body: { customer_id: "cus_1", visitor_id: "v_visitor_aaaa", moved: 3 } })
    const server = createServerInterestClient({ baseUrl: "http://shop", fetch })
    const res = await server.identify({ customerToken: "jwt-a", visitorId: "v_visitor_aaaa" })
    expect(res.moved).toBe(3)
    expect(calls[0]).toMatchObject({ url: "http://shop/store/interest/identify", method: "POST", body: { visitor_id: "v_visitor_aaaa" } })
    expect(calls[0].headers).toMatchObject({ authorization: "Bearer jwt-a", "content-type": "application/json", [VISITOR_HEADER]: "v_visitor_aaaa" })
  })

  it("rejects without a request when there is no valid visitor id or no token", async () => {
    const { fetch, calls } = fakeFetch({ status: 200, body: {} })
    const server = createServerInterestClient({ baseUrl: "http://shop", fetch })
    await expect(server.identify({ customerToken: "jwt-a", visitorId: undefined })).rejects.toThrow(/visitor id/)
    await expect(server.identify({ customerToken: "jwt-a", visitorId: "v_secret but bad" })).rejects.toThrow(/visitor id/)
    await expect(server.identify({ customerToken: "", visitorId: "v_visitor_aaaa" })).rejects.toThrow(/token/)
    expect(calls).toHaveLength(0)
    // The message never repeats the (secret) id.
    await expect(server.identify({ customerToken: "jwt-a", visitorId: "v_secret but bad" })).rejects.not.toThrow(/v_secret/)
  })
})
