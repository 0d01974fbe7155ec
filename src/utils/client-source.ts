import { createHmac } from "crypto"
import { MedusaRequest } from "@medusajs/medusa"

/** Keys per container: the shop's own secret, so the hashes cannot be reversed by guessing addresses. */
const keys = new WeakMap<object, Buffer>()

function sourceKey(req: MedusaRequest): Buffer {
  const config = req.scope.resolve<{ projectConfig?: { jwt_secret?: string; cookie_secret?: string } }>("configModule")
  let key = keys.get(config)
  if (!key) {
    const secret = config.projectConfig?.jwt_secret ?? config.projectConfig?.cookie_secret ?? "medusa-plugin-interest"
    key = createHmac("sha256", secret).update("interest client source").digest()
    keys.set(config, key)
  }
  return key
}

/**
 * Where a request comes from, as stored with its events: a keyed hash of the
 * client address (an IPv6 address by its /64, which one subscriber gets whole),
 * never the address itself. Shoppers without an order who share one count as
 * one shopper in the crowd signals (engine/profiles/influence.ts).
 */
export function clientSource(req: MedusaRequest, address: string | undefined): string | null {
  if (!address) return null
  const ip = address.startsWith("::ffff:") ? address.slice(7) : address
  const network = ip.includes(":") ? ipv6Prefix64(ip) : ip
  return createHmac("sha256", sourceKey(req)).update(network).digest("base64url").slice(0, 16)
}

/** The first four groups of an IPv6 address, with `::` expanded. */
export function ipv6Prefix64(ip: string): string {
  const [head, tail] = ip.split("::")
  const left = head ? head.split(":") : []
  const right = tail !== undefined && tail !== "" ? tail.split(":") : []
  const groups = tail === undefined ? left : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right]
  return groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ""))
    .join(":")
}
