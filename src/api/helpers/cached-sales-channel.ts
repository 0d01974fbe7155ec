import { MedusaRequest } from "@medusajs/medusa"
import { resolveSalesChannelId } from "./sales-channel"

/**
 * How long a publishable key's channel (and the default channel) is reused:
 * a revoked key is refused within this time, not at once.
 */
const TTL_MS = 10_000
/** Keys remembered at most (valid keys only; a shop has a handful). */
const MAX_KEYS = 1000

const byKey = new Map<string, { at: number; channel: string | null }>()

/**
 * `resolveSalesChannelId` remembered for a few seconds, so a hot store route
 * does not spend two or three queries per request finding the same channel.
 * Unknown or revoked keys are never remembered: they are checked (and refused)
 * every time.
 */
export async function cachedSalesChannelId(req: MedusaRequest): Promise<string | null> {
  const key = req.get("x-publishable-api-key") ?? ""
  const hit = byKey.get(key)
  if (hit && Date.now() - hit.at < TTL_MS) return hit.channel
  const channel = await resolveSalesChannelId(req)
  if (byKey.size >= MAX_KEYS) byKey.clear()
  byKey.set(key, { at: Date.now(), channel })
  return channel
}
