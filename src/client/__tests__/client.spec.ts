import { createInterestClient, InterestClientError, VISITOR_HEADER, VISITOR_STORAGE_KEY } from ".."
import { accepted, fakeFetch, memoryStorage } from "./fake-fetch"

const FAST_RETRY = { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 }

describe("storefront client: events", () => {
  it("sends tracked events in batches of batchSize, in order", async () => {
    const { fetch, calls } = fakeFetch(accepted(3))
    const client = createInterestClient({ baseUrl: "http://shop/", fetch, storage: false, batchSize: 3, flushIntervalMs: 60_000, publishableKey: "pk_1" })
    const ids = ["p_1", "p_2", "p_3", "p_4"].map((product_id) => client.track({ type: "view", product_id }))
    await client.flush()

    expect(calls).toHaveLength(2)
    expect(calls[0].url).toBe("http://shop/store/interest/events")
    expect(calls[0].method).toBe("POST")
    expect(calls[0].headers["x-publishable-api-key"]).toBe("pk_1")
    expect(calls[0].body.visitor_id).toBe(client.visitorId)
    expect(calls[0].body.events.map((e: { product_id: string }) => e.product_id)).toEqual(["p_1", "p_2", "p_3"])
    expect(calls[1].body.events.map((e: { client_event_id: string }) => e.client_event_id)).toEqual([ids[3]])
    expect(new Set(ids).size).toBe(4)
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_.:-]{1,128}$/)
    await client.close()
  })

  it("passes a click's experiment and arm through with its recommendation_id, and only with one", async () => {
    const { fetch, calls } = fakeFetch(accepted(2))
    const client = createInterestClient({ baseUrl: "http://shop", fetch, storage: false, flushIntervalMs: 60_000 })
    client.track({ type: "click", product_id: "p_1", recommendation_id: "irec_1", experiment_id: "iexp_1", arm: "control" })
    client.track({ type: "view", product_id: "p_2", experiment_id: "iexp_1", arm: "control" })
    await client.flush()
    expect(calls[0].body.events[0]).toMatchObject({ recommendation_id: "irec_1", experiment_id: "iexp_1", arm: "control" })
    expect(calls[0].body.events[1]).not.toHaveProperty("experiment_id")
    expect(calls[0].body.events[1]).not.toHaveProperty("arm")
    await client.close()
  })

  it("sends a partial batch once flushIntervalMs has passed", async () => {
    jest.useFakeTimers()
    try {
      const { fetch, calls } = fakeFetch(accepted(2))
      const client = createInterestClient({ baseUrl: "http://shop", fetch, storage: false, batchSize: 10, flushIntervalMs: 1000 })
      client.track({ type: "view", product_id: "p_1" })
      client.track({ type: "add_to_cart", product_id: "p_2", quantity: 2, recommendation_id: "irec_1" })
      await jest.advanceTimersByTimeAsync(999)
      expect(calls).toHaveLength(0)
      await jest.advanceTimersByTimeAsync(1)
      expect(calls).toHaveLength(1)
      expect(calls[0].body.events[1]).toMatchObject({ type: "add_to_cart", product_id: "p_2", quantity: 2, recommendation_id: "irec_1" })
      expect(calls[0].body.events[0].occurred_at).toBeUndefined()
    } finally {
      jest.useRealTimers()
    }
  })

  it("retries a 503 and a network error, resending the same client_event_ids", async () => {
    const { fetch, calls } = fakeFetch({ status: 503, body: { message: "down" } }, new TypeError("fetch failed"), accepted(2))
    const onError = jest.fn()
    const client = createInterestClient({ baseUrl: "http://shop", fetch, storage: false, retry: FAST_RETRY, onError })
    client.track({ type: "view", product_id: "p_1" })
    client.track({ type: "view", product_id: "p_2" })
    await client.flush()

    expect(calls).toHaveLength(3)
    const idsOf = (i: number): string[] => calls[i].body.events.map((e: { client_event_id: string }) => e.client_event_id)
    expect(idsOf(1)).toEqual(idsOf(0))
    expect(idsOf(2)).toEqual(idsOf(0))
    expect(onError).not.toHaveBeenCalled()
  })

  it("waits as long as a 429's Retry-After says", async () => {
    jest.useFakeTimers()
    try {
      const { fetch, calls } = fakeFetch({ status: 429, headers: { "retry-after": "3" } }, accepted(1))
      const client = createInterestClient({ baseUrl: "http://shop", fetch, storage: false, retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 60_000 } })
      client.track({ type: "view", product_id: "p_1" })
      const done = client.flush()
      await jest.advanceTimersByTimeAsync(2999)
      expect(calls).toHaveLength(1)
      await jest.advanceTimersByTimeAsync(1)
      await done
      expect(calls).toHaveLength(2)
      expect(calls[1].body.events[0].client_event_id).toBe(calls[0].body.events[0].client_event_id)
    } finally {
      jest.useRealTimers()
    }
  })

  it("never retries a 400 and does not resend its events", async () => {
    const { fetch, calls } = fakeFetch({ status: 400, body: { type: "invalid_data", message: "No event was accepted" } })
    const onError = jest.fn()
    const client = createInterestClient({ baseUrl: "http://shop", fetch, storage: false, retry: FAST_RETRY, onError })
    client.track({ type: "view", product_id: "nope" })
    await client.flush()
    await client.flush()

    expect(calls).toHaveLength(1)
    expect(onError).toHaveBeenCalledTimes(1)
    const error = onError.mock.calls[0][0] as InterestClientError
    expect(error).toBeInstanceOf(InterestClientError)
    expect(error.status).toBe(400)
    expect(error.message).toContain("No event was accepted")
  })

  it("keeps events the server could not take after every retry, for the next flush", async () => {
    const { fetch, calls } = fakeFetch({ status: 500 }, { status: 500 }, accepted(1))
    const onError = jest.fn()
    const client = createInterestClient({ baseUrl: "http://shop", fetch, storage: false, retry: { ...FAST_RETRY, attempts: 2 }, onError })
    const id = client.track({ type: "wishlist", product_id: "p_1" })
    await client.flush()
    expect(calls).toHaveLength(2)
    expect(onError).toHaveBeenCalledTimes(1)

    await client.flush()
    expect(calls).toHaveLength(3)
    expect(calls[2].body.events.map((e: { client_event_id: string }) => e.client_event_id)).toEqual([id])
  })

  it("reports events the server rejected in a 202", async () => {
    const { fetch } = fakeFetch({
      status: 202,
      body: { accepted: 1, duplicates: 0, rejected: 1, ignored: 0, results: [{ index: 0, status: "accepted" }, { index: 1, status: "rejected", reason: "product p_x does not exist" }] },
    })
    const onError = jest.fn()
    const client = createInterestClient({ baseUrl: "http://shop", fetch, storage: false, onError })
    client.track({ type: "view", product_id: "p_1" })
    client.track({ type: "view", product_id: "p_x" })
    await client.flush()
    expect(onError).toHaveBeenCalledTimes(1)
    expect((onError.mock.calls[0][0] as Error).message).toContain("product p_x does not exist")
  })
})

describe("storefront client: visitor id", () => {
  it("keeps one visitor id per storage across clients (page loads)", () => {
    const storage = memoryStorage()
    const { fetch } = fakeFetch(accepted())
    const a = createInterestClient({ baseUrl: "", fetch, storage })
    const b = createInterestClient({ baseUrl: "", fetch, storage })
    expect(a.visitorId).toMatch(/^[A-Za-z0-9_-]{8,64}$/)
    expect(b.visitorId).toBe(a.visitorId)
    expect(storage.getItem(VISITOR_STORAGE_KEY)).toBe(a.visitorId)
  })

  it("replaces a stored id the server would refuse, and survives a storage that throws", () => {
    const { fetch } = fakeFetch(accepted())
    const storage = memoryStorage({ [VISITOR_STORAGE_KEY]: "bad id!" })
    const a = createInterestClient({ baseUrl: "", fetch, storage })
    expect(a.visitorId).not.toBe("bad id!")
    expect(storage.getItem(VISITOR_STORAGE_KEY)).toBe(a.visitorId)

    const broken = { getItem: () => { throw new Error("SecurityError") }, setItem: () => { throw new Error("QuotaExceededError") } }
    const b = createInterestClient({ baseUrl: "", fetch, storage: broken })
    expect(b.visitorId).toMatch(/^[A-Za-z0-9_-]{8,64}$/)
  })

  it("gives each memory-only client its own id, and takes an explicit one", () => {
    const { fetch } = fakeFetch(accepted())
    const a = createInterestClient({ baseUrl: "", fetch, storage: false })
    const b = createInterestClient({ baseUrl: "", fetch, storage: false })
    expect(a.visitorId).not.toBe(b.visitorId)
    expect(createInterestClient({ baseUrl: "", fetch, visitorId: "v_from_cookie_1" }).visitorId).toBe("v_from_cookie_1")
    expect(() => createInterestClient({ baseUrl: "", fetch, visitorId: "short" })).toThrow(/visitorId/)
  })
})

describe("storefront client: identify and recommendations", () => {
  it("identify sends queued anonymous events first, then the visitor id with the customer token", async () => {
    const { fetch, calls } = fakeFetch(accepted(1), { status: 200, body: { customer_id: "cus_1", visitor_id: "x", moved: 1 } })
    const client = createInterestClient({ baseUrl: "http://shop", fetch, storage: false, flushIntervalMs: 60_000 })
    client.track({ type: "view", product_id: "p_1" })
    client.setCustomerToken("jwt-1")
    const res = await client.identify()

    expect(res.moved).toBe(1)
    expect(calls.map((c) => c.url)).toEqual(["http://shop/store/interest/events", "http://shop/store/interest/identify"])
    expect(calls[1].body).toEqual({ visitor_id: client.visitorId })
    expect(calls[1].headers.authorization).toBe("Bearer jwt-1")
  })

  it("identify rejects with the server's 401 when nobody is logged in, without retrying", async () => {
    const { fetch, calls } = fakeFetch({ status: 401, body: { type: "unauthorized", message: "Log in as a customer to identify a visitor." } })
    const client = createInterestClient({ baseUrl: "http://shop", fetch, storage: false, retry: FAST_RETRY })
    await expect(client.identify()).rejects.toMatchObject({ status: 401, message: expect.stringContaining("Log in") })
    expect(calls).toHaveLength(1)
  })

  it("getRecommendations builds the store route's query", async () => {
    const body = { recommendation_id: "irec_1", placement: "related", model_version_id: null, segment: null, cold: true, products: [] }
    const { fetch, calls } = fakeFetch({ status: 200, body })
    const client = createInterestClient({ baseUrl: "http://shop", fetch, storage: false, customerToken: () => "jwt-2" })
    const res = await client.getRecommendations({ placement: "related", productId: "prod_1", limit: 6, regionId: "reg_1", exclude: ["prod_2", "prod_3"] })

    expect(res).toEqual(body)
    const url = new URL(calls[0].url)
    expect(url.pathname).toBe("/store/recommendations")
    expect(Object.fromEntries(url.searchParams)).toEqual({
      placement: "related",
      product_id: "prod_1",
      limit: "6",
      region_id: "reg_1",
      exclude: "prod_2,prod_3",
    })
    expect(calls[0].method).toBe("GET")
    expect(calls[0].headers.authorization).toBe("Bearer jwt-2")
    expect(calls[0].headers[VISITOR_HEADER]).toBe(client.visitorId)
  })

  it("sends the visitor id in its header on every request and never in a URL", async () => {
    const rec = { status: 200, body: { recommendation_id: "irec_1", placement: "for_you", model_version_id: null, segment: null, cold: true, products: [] } }
    const { fetch, calls } = fakeFetch(accepted(1), { status: 200, body: { customer_id: "cus_1", visitor_id: "x", moved: 0 } }, rec)
    const client = createInterestClient({ baseUrl: "http://shop", fetch, visitorId: "v_secret_visitor_1", flushIntervalMs: 60_000 })
    client.track({ type: "view", product_id: "prod_1" })
    await client.flush()
    client.setCustomerToken("jwt-3")
    await client.identify()
    await client.getRecommendations({ placement: "recently_viewed" })

    expect(calls.map((c) => c.method)).toEqual(["POST", "POST", "GET"])
    for (const call of calls) {
      expect(call.headers[VISITOR_HEADER]).toBe("v_secret_visitor_1")
      expect(call.url).not.toContain("v_secret_visitor_1")
      expect(new URL(call.url).searchParams.has("visitor_id")).toBe(false)
    }
  })

  it("keeps the visitor id out of the message of an error", async () => {
    const { fetch } = fakeFetch({ status: 400, body: { type: "invalid_data", message: "placement must be one of: for_you" } })
    const client = createInterestClient({ baseUrl: "http://shop", fetch, visitorId: "v_secret_visitor_2", retry: FAST_RETRY })
    const error = await client.getRecommendations().catch((e: Error) => e)
    expect(error).toBeInstanceOf(InterestClientError)
    expect((error as Error).message).toMatch(/answered 400/)
    expect((error as Error).message).not.toContain("v_secret_visitor_2")
  })
})
