// Type-only: the admin extensions (src/admin) import it too, so it must hold no runtime code.

/** One of a product's heaviest shoppers. Visitor ids are secrets and never shown: an anonymous one is just "visitor". */
export interface ProductContributor {
  /** 1 = the heaviest. */
  rank: number
  subject_type: "customer" | "visitor"
  /** The customer's id; null for an anonymous visitor. */
  customer_id: string | null
  events: number
  /** Event-weighted signal of this shopper on the product. */
  signal: number
  /** signal / the product's signal. */
  share: number
}

/** Who a product's interest signal comes from over a time window. */
export interface ProductContributors {
  product_id: string
  title: string | null
  /** Sum of the event weights (the shop's eventWeights) of the product's events in the window. */
  signal: number
  events: number
  /** Distinct shoppers: a logged-in customer counts once, an anonymous visitor id once. */
  shoppers: number
  customers: number
  visitors: number
  /** Share of the signal from the heaviest shopper (0 without signal). */
  top_1_share: number
  /** Share of the signal from the 10 heaviest shoppers. */
  top_10_share: number
  /** Events of the heaviest shopper. */
  top_1_events: number
  /** Events of the 10 heaviest shoppers. */
  top_10_events: number
  suspicious: boolean
  /** Which rules flagged it: "top_1_share" and/or "top_10_share". */
  suspicious_reasons: ("top_1_share" | "top_10_share")[]
  /** The 10 heaviest shoppers, heaviest first. */
  top_contributors: ProductContributor[]
}
