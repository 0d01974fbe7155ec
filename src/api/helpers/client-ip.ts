import { IncomingMessage } from "http"
import ipaddr from "ipaddr.js"
import proxyaddr from "proxy-addr"

/** Says whether the hop at `addr` is a proxy whose X-Forwarded-For entry may be believed. */
export type TrustProxy = (addr: string, hopIndex: number) => boolean

const TRUST_NONE: TrustProxy = () => false

/**
 * The trust function of a `trustedProxies` list: addresses, CIDR ranges and
 * proxy-addr's names `loopback`, `linklocal` and `uniquelocal`. An empty list
 * trusts nobody: the socket address is the client and X-Forwarded-For is ignored.
 * @throws Error naming the entry that is not an address or range
 */
export function compileTrustedProxies(list: readonly string[]): TrustProxy {
  if (!list.length) return TRUST_NONE
  for (const entry of list) {
    try {
      proxyaddr.compile(entry)
    } catch {
      throw new Error(`trustedProxies: "${entry}" is not an IP address, a CIDR range, loopback, linklocal or uniquelocal`)
    }
  }
  return proxyaddr.compile([...list])
}

/**
 * The client's address: the socket's, or, when the socket is a trusted proxy,
 * the right-most X-Forwarded-For entry that is not a trusted proxy. Express's
 * `req.ip` is not used: Medusa sets `trust proxy` to 1, which believes the last
 * X-Forwarded-For entry from anyone, so any client could pick its own address.
 * @return null when the socket has no address any more (the client went away)
 */
export function clientIp(req: IncomingMessage, trust: TrustProxy): string | null {
  if (!req.socket?.remoteAddress) return null
  return proxyaddr(req, trust)
}

/**
 * The key an address is budgeted under: IPv4 as is (IPv4-mapped IPv6 included),
 * IPv6 by its /64, since one subscriber is routinely given a whole /64 and could
 * otherwise take a fresh address per request.
 */
export function ipBudgetKey(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip
  const parsed = ipaddr.process(ip)
  if (parsed.kind() === "ipv4") return parsed.toString()
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16))
  return `${parts.join(":")}::/64`
}
