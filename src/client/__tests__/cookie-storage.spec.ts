import { cookieStorage, createInterestClient, VISITOR_STORAGE_KEY } from ".."
import { fakeFetch } from "./fake-fetch"

/** A `document.cookie` that behaves like a browser's: writes set one cookie, reads list them all. */
function fakeJar(protocol = "http:", initial: Record<string, string> = {}) {
  const cookies = new Map(Object.entries(initial))
  const written: string[] = []
  const jar = {
    location: { protocol },
    document: {
      get cookie(): string {
        return [...cookies].map(([k, v]) => `${k}=${v}`).join("; ")
      },
      set cookie(line: string) {
        written.push(line)
        const [pair] = line.split(";")
        const at = pair.indexOf("=")
        cookies.set(pair.slice(0, at), pair.slice(at + 1))
      },
    },
  }
  return { jar, written }
}

describe("cookieStorage: the visitor id in a cookie a storefront server reads", () => {
  it("reads the cookie a server set (e.g. a Next.js middleware), among others", () => {
    const { jar, written } = fakeJar("http:", { _medusa_cart_id: "cart_1", [VISITOR_STORAGE_KEY]: "v_from_the_server_1", other: "x=y" })
    const { fetch } = fakeFetch({ status: 202, body: {} })
    const client = createInterestClient({ baseUrl: "", fetch, storage: cookieStorage({}, jar) })
    expect(client.visitorId).toBe("v_from_the_server_1")
    expect(written).toEqual([])
  })

  it("writes a new id as a first-party, SameSite=Lax cookie for a year, Secure on https", () => {
    const plain = fakeJar("http:")
    const { fetch } = fakeFetch({ status: 202, body: {} })
    const a = createInterestClient({ baseUrl: "", fetch, storage: cookieStorage({}, plain.jar) })
    expect(plain.written).toEqual([`${VISITOR_STORAGE_KEY}=${a.visitorId}; Path=/; Max-Age=31536000; SameSite=Lax`])
    // The next page load finds it.
    expect(createInterestClient({ baseUrl: "", fetch, storage: cookieStorage({}, plain.jar) }).visitorId).toBe(a.visitorId)

    const tls = fakeJar("https:")
    createInterestClient({ baseUrl: "", fetch, storage: cookieStorage({ maxAgeSeconds: 60 }, tls.jar) })
    expect(tls.written[0]).toMatch(/; Path=\/; Max-Age=60; SameSite=Lax; Secure$/)
  })

  it("holds nothing outside a browser (server rendering), so the client keeps its id in memory", () => {
    const storage = cookieStorage({}, {})
    storage.setItem(VISITOR_STORAGE_KEY, "v_anything_1")
    expect(storage.getItem(VISITOR_STORAGE_KEY)).toBeNull()
    const { fetch } = fakeFetch({ status: 202, body: {} })
    expect(createInterestClient({ baseUrl: "", fetch, storage }).visitorId).toMatch(/^v_[A-Za-z0-9]{22}$/)
  })

  it("replaces a cookie the server would refuse, and one that is not valid URI encoding", () => {
    const { fetch } = fakeFetch({ status: 202, body: {} })
    for (const bad of ["short", "%E0%A4%A"]) {
      const { jar, written } = fakeJar("http:", { [VISITOR_STORAGE_KEY]: bad })
      const client = createInterestClient({ baseUrl: "", fetch, storage: cookieStorage({}, jar) })
      expect(client.visitorId).toMatch(/^v_[A-Za-z0-9]{22}$/)
      expect(written).toHaveLength(1)
    }
  })
})
