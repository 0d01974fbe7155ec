/**
 * Prefix of an anonymous visitor's subject id in training and serving (customers
 * keep their own id), so the two can never collide.
 */
export const VISITOR_PREFIX = "v:"

/** The subject id of an anonymous visitor, as training and the opt-out list spell it. */
export function visitorSubject(visitorId: string): string {
  return `${VISITOR_PREFIX}${visitorId}`
}

/** Event types the storefront may post (purchases come from orders only). */
export const STOREFRONT_EVENT_TYPES = ["view", "add_to_cart", "wishlist", "click"] as const
export type StorefrontEventType = (typeof STOREFRONT_EVENT_TYPES)[number]

/** An accepted event on its way from the route (through the event bus) to the table. */
export interface CapturedEvent {
  id: string
  customer_id: string | null
  visitor_id: string | null
  product_id: string
  variant_id: string | null
  type: StorefrontEventType | "purchase"
  sales_channel_id: string | null
  quantity: number
  /** ISO 8601 */
  occurred_at: string
  client_event_id: string
  source_order_id: string | null
  recommendation_id: string | null
  metadata: Record<string, unknown> | null
  /** Keyed hash of the sender's address (api/helpers/client-source.ts); null for orders. */
  client_source: string | null
}

/** Anonymous visitor ids: 8–64 URL-safe characters, made by the storefront client. */
export const VISITOR_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/
/** Medusa entity ids (`prod_01H…`, `variant_…`) and our own ids. */
export const ENTITY_ID_PATTERN = /^[A-Za-z0-9_]{1,64}$/
/** Client event ids: UUIDs or any 1–128 characters of [A-Za-z0-9_.:-]. */
export const CLIENT_EVENT_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/
