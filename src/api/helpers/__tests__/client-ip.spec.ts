import { IncomingMessage } from "http"
import { clientIp, compileTrustedProxies, ipBudgetKey } from "../client-ip"

function request(remoteAddress: string | undefined, forwardedFor?: string): IncomingMessage {
  const headers: Record<string, string> = forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor }
  return { socket: { remoteAddress }, headers } as unknown as IncomingMessage
}

describe("clientIp", () => {
  it("is the socket address and ignores X-Forwarded-For when no proxy is trusted (the default)", () => {
    const trust = compileTrustedProxies([])
    expect(clientIp(request("203.0.113.7"), trust)).toBe("203.0.113.7")
    expect(clientIp(request("203.0.113.7", "198.51.100.1"), trust)).toBe("203.0.113.7")
    expect(clientIp(request("127.0.0.1", "198.51.100.1, 10.0.0.2"), trust)).toBe("127.0.0.1")
  })

  it("believes X-Forwarded-For only from a trusted proxy, taking the right-most untrusted hop", () => {
    const trust = compileTrustedProxies(["127.0.0.1", "10.0.0.0/8"])
    // Through the trusted load balancer: the shopper is the address it forwarded.
    expect(clientIp(request("127.0.0.1", "198.51.100.1"), trust)).toBe("198.51.100.1")
    // A client that prepends a spoofed address gets its own address, which the proxy appended.
    expect(clientIp(request("10.1.2.3", "1.2.3.4, 198.51.100.1"), trust)).toBe("198.51.100.1")
    // Two trusted hops are skipped.
    expect(clientIp(request("127.0.0.1", "198.51.100.1, 10.0.0.9"), trust)).toBe("198.51.100.1")
    // A client talking to the shop directly cannot pick its address with the header.
    expect(clientIp(request("203.0.113.7", "10.0.0.5"), trust)).toBe("203.0.113.7")
    // Without the header, a trusted proxy's own address is the client.
    expect(clientIp(request("127.0.0.1"), trust)).toBe("127.0.0.1")
  })

  it("understands proxy-addr's named ranges", () => {
    const trust = compileTrustedProxies(["loopback"])
    expect(clientIp(request("::1", "198.51.100.1"), trust)).toBe("198.51.100.1")
    expect(clientIp(request("::ffff:127.0.0.1", "198.51.100.2"), trust)).toBe("198.51.100.2")
  })

  it("answers null for a socket that has no address any more", () => {
    expect(clientIp(request(undefined, "198.51.100.1"), compileTrustedProxies([]))).toBeNull()
  })

  it("refuses an entry that is not an address or range, naming it", () => {
    expect(() => compileTrustedProxies(["10.0.0.0/8", "my-proxy"])).toThrow(/"my-proxy" is not an IP address/)
    expect(() => compileTrustedProxies(["10.0.0.0/99"])).toThrow(/10\.0\.0\.0\/99/)
  })
})

describe("ipBudgetKey", () => {
  it("keys IPv4 as is and IPv4-mapped IPv6 as its IPv4 address", () => {
    expect(ipBudgetKey("203.0.113.7")).toBe("203.0.113.7")
    expect(ipBudgetKey("::ffff:203.0.113.7")).toBe("203.0.113.7")
  })

  it("keys IPv6 by its /64, so a subscriber cannot take a fresh budget per address", () => {
    expect(ipBudgetKey("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64")
    expect(ipBudgetKey("2001:db8:1:2:ffff:1:2:3")).toBe("2001:db8:1:2::/64")
    expect(ipBudgetKey("2001:db8:1:3::1")).toBe("2001:db8:1:3::/64")
  })
})
