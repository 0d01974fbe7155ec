/**
 * Types of the storefront client. They mirror the plugin's store routes
 * (`POST /store/interest/events`, `POST /store/interest/identify`,
 * `GET /store/recommendations`); nothing here imports Medusa, so the client
 * runs in any browser and in Node >= 18.
 */

/** Event types a storefront may send; purchases come from `order.placed` on the server. */
export type InterestEventType = "view" | "add_to_cart" | "wishlist" | "click"

/** What `track()` takes. Only `type` and `product_id` are required. */
export interface TrackEvent {
  type: InterestEventType
  product_id: string
  variant_id?: string
  /** 1 to 1000. */
  quantity?: number
  /** The `recommendation_id` of the list the shopper clicked in, for attribution. */
  recommendation_id?: string
  /** The list's `experiment_id` and `arm`, passed through as the product carries them (see `fromProduct`). */
  experiment_id?: string | null
  arm?: string | null
  /** When it happened; defaults to the time `track()` was called. */
  occurred_at?: Date | string
}

/** The placements `GET /store/recommendations` serves. */
export type Placement = "for_you" | "related" | "trending" | "recently_viewed" | "segment"

export interface RecommendationParams {
  /** @defaultValue "for_you" */
  placement?: Placement
  /** The product a `related` carousel sits on (required for `related`). */
  productId?: string
  /** Products in the list; the server caps it at its `placementLimits.max`. */
  limit?: number
  /** Prices the products for this region (`variants[].calculated_price`). */
  regionId?: string
  /** Prices the products in this currency when no region is given. */
  currencyCode?: string
  /** Product ids never to return (e.g. the ones already on the page). */
  exclude?: string[]
}

/** A Medusa store product with the reason it was recommended. */
export interface RecommendedProduct {
  id: string
  title: string
  handle: string | null
  thumbnail: string | null
  /** Human-readable, e.g. "Because you viewed Lamps". */
  reason: string
  reason_code: string
  score: number
  recommendation_id: string
  /** The experiment whose arm chose the list, and that arm (null outside experiments). */
  experiment_id: string | null
  arm: string | null
  variants?: Array<{ id: string; title?: string; calculated_price?: number | null; [key: string]: unknown }>
  [key: string]: unknown
}

export interface RecommendationsResponse {
  recommendation_id: string
  /** Set while an experiment runs on the placement: which one, and the shopper's arm. */
  experiment_id: string | null
  arm: string | null
  placement: Placement
  model_version_id: string | null
  segment: { id: string; name: string } | null
  /** True when the model did not know the shopper and lent them similar shoppers' interests. */
  cold: boolean
  products: RecommendedProduct[]
}

export interface IdentifyResponse {
  customer_id: string
  visitor_id: string
  /** Anonymous events that became the customer's. */
  moved: number
}

/** The per-event outcome `POST /store/interest/events` reports. */
export interface EventResult {
  index: number
  status: "accepted" | "duplicate" | "rejected" | "ignored"
  id?: string
  client_event_id?: string
  /** Why it was rejected, or, with `attributed: false`, why it was stored without its recommendation_id. */
  reason?: string
  /** For an event sent with a recommendation_id: false when that id was not a list served to this shopper showing this product. */
  attributed?: boolean
}

export interface EventsResponse {
  accepted: number
  duplicates: number
  rejected: number
  ignored: number
  results: EventResult[]
}

/** The subset of the Web Storage API the client needs (localStorage fits). */
export interface KeyValueStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>

export interface RetryOptions {
  /** Attempts per request, the first included. @defaultValue 5 */
  attempts?: number
  /** First backoff delay; doubled per attempt, with jitter. @defaultValue 500 */
  baseDelayMs?: number
  /** Longest wait between attempts, Retry-After included. @defaultValue 30000 */
  maxDelayMs?: number
}

export interface InterestClientOptions {
  /** The Medusa server, e.g. "https://shop.example.com" ("" for the page's own origin). */
  baseUrl: string
  /** Sent as `x-publishable-api-key`: decides the sales channel of events and recommendations. */
  publishableKey?: string
  /** Defaults to the global `fetch`. */
  fetch?: FetchLike
  /**
   * Where the anonymous visitor id is kept. Defaults to `localStorage` when the
   * environment has a usable one, else memory (one id per client instance).
   * `false` forces memory; `cookieStorage()` keeps it in a cookie that a
   * storefront's server reads too.
   */
  storage?: KeyValueStorage | false
  /** Use this visitor id instead of a stored one. */
  visitorId?: string
  /** A customer JWT (`POST /store/auth/token`), sent as `authorization: Bearer`, or a function returning it. */
  customerToken?: string | null | (() => string | null | undefined)
  /** Fetch credentials mode: "include" sends Medusa's session cookie cross-origin. @defaultValue "include" */
  credentials?: RequestCredentials
  /** Events per request; the server accepts up to its `maxBatchSize` (100). @defaultValue 20 */
  batchSize?: number
  /** How long an event may wait for its batch to fill. @defaultValue 2000 */
  flushIntervalMs?: number
  /** Events kept while the server is unreachable; the oldest are dropped beyond it. @defaultValue 500 */
  maxQueue?: number
  retry?: RetryOptions
  /** Told about events the client gave up on (rejected by the server, or dropped). */
  onError?: (error: Error) => void
}

/**
 * The shopper a server-side request is made for (a server component, a login
 * server action): read from the shopper's own request, never shared between
 * shoppers.
 */
export interface Shopper {
  /** The customer's JWT, e.g. the starter's httpOnly `_medusa_jwt` cookie. */
  customerToken?: string | null
  /**
   * The anonymous visitor id, e.g. the `VISITOR_STORAGE_KEY` cookie that
   * `cookieStorage()` keeps. One the server would refuse is not sent.
   */
  visitorId?: string | null
  /**
   * Headers of the shopper's request to pass on, e.g. `x-forwarded-for`, so the
   * plugin's per-address rate limits count the shopper and not the storefront
   * server (list the server in the plugin's `trustedProxies`).
   */
  headers?: Record<string, string>
}

export interface ServerInterestClientOptions {
  /** The Medusa server, e.g. "http://localhost:9000". */
  baseUrl: string
  /** Sent as `x-publishable-api-key`: decides the sales channel of the lists. */
  publishableKey?: string
  /** Defaults to the global `fetch` (Next.js's, on its server). */
  fetch?: FetchLike
  /** A page waits for these: short by default. @defaultValue `{ attempts: 2, baseDelayMs: 200, maxDelayMs: 1000 }` */
  retry?: RetryOptions
}
