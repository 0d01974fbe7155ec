import { RecommendationParams } from "./types"
import { VISITOR_HEADER } from "./visitor-id"

export const EVENTS_PATH = "/store/interest/events"
export const IDENTIFY_PATH = "/store/interest/identify"

/** `GET /store/recommendations` with its query. */
export function recommendationsUrl(baseUrl: string, params: RecommendationParams): string {
  const query = new URLSearchParams({ placement: params.placement ?? "for_you" })
  if (params.productId) query.set("product_id", params.productId)
  if (params.limit !== undefined) query.set("limit", String(params.limit))
  if (params.regionId) query.set("region_id", params.regionId)
  if (params.currencyCode) query.set("currency_code", params.currencyCode)
  if (params.exclude?.length) query.set("exclude", params.exclude.join(","))
  return `${baseUrl}/store/recommendations?${query}`
}

export interface ShopperHeaderParts {
  visitorId?: string | null
  customerToken?: string | null
  publishableKey?: string
  /** Headers of the caller's own (e.g. `x-forwarded-for`); the ones built here win. */
  extra?: Record<string, string>
  json: boolean
}

/**
 * The headers of a request made for one shopper. The visitor id is a secret
 * (it opens the visitor's history): it travels in a header or a JSON body,
 * never in a URL, which access logs keep.
 */
export function shopperHeaders(parts: ShopperHeaderParts): Record<string, string> {
  // Lower-cased, so an extra "Authorization" cannot sit beside the one set below.
  const h: Record<string, string> = {}
  for (const [name, value] of Object.entries(parts.extra ?? {})) h[name.toLowerCase()] = value
  h.accept = "application/json"
  if (parts.visitorId) h[VISITOR_HEADER] = parts.visitorId
  if (parts.json) h["content-type"] = "application/json"
  if (parts.publishableKey) h["x-publishable-api-key"] = parts.publishableKey
  if (parts.customerToken) h.authorization = `Bearer ${parts.customerToken}`
  return h
}

/** Removes the trailing slashes of a base URL, so paths can be appended. */
export function trimBaseUrl(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, "")
}
