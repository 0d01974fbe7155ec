import { createHmac } from "crypto"
import { MedusaRequest } from "@medusajs/medusa"
import { ipBudgetKey } from "./client-ip"

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
  // The same grouping the rate limits budget by (IPv6 by its /64).
  return createHmac("sha256", sourceKey(req)).update(ipBudgetKey(address)).digest("base64url").slice(0, 16)
}
