/**
 * Plain data shared by every part of the engine. Nothing here knows Medusa:
 * the services translate plugin rows into these shapes at the edge.
 */

/** What a shopper did. `click` is a click on a recommendation (attribution only). */
export type EventType = "view" | "add_to_cart" | "wishlist" | "purchase" | "click"

export const EVENT_TYPES: readonly EventType[] = [
  "view",
  "add_to_cart",
  "wishlist",
  "purchase",
  "click",
] as const

/** Each event type's code in the dataset (its index in EVENT_TYPES). */
export const EVENT_CODE = Object.fromEntries(EVENT_TYPES.map((t, i) => [t, i])) as Readonly<Record<EventType, number>>

export interface InterestEvent {
  /** A customer id, or a visitor id for anonymous shoppers. */
  customerId: string
  productId: string
  type: EventType
  /** Milliseconds since the Unix epoch (UTC). */
  timestamp: number
  /** Units bought or added; 1 when not given. */
  quantity?: number
  /** Sales channel the event happened in, when known. */
  channelId?: string
  /**
   * Where the event was sent from (a keyed hash of the client's address), when
   * known: shoppers without an order who share one count as one shopper in the
   * crowd signals (profiles/influence.ts).
   */
  sourceId?: string
  /** Sent by an anonymous visitor (no account): such shoppers count less in crowd signals. */
  anonymous?: boolean
}

/** The catalogue facts the engine needs about a product. */
export interface CatalogProduct {
  id: string
  categoryIds: string[]
  collectionId?: string | null
  tagIds?: string[]
  typeId?: string | null
  /** Human title, used in reasons ("because you viewed X"). */
  title?: string
}
