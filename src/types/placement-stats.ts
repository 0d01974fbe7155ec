// Type-only: the admin extensions (src/admin) import it too, so it must hold no runtime code.

/** How the recommendation lists of one placement performed over a time window. */
export interface PlacementStats {
  placement: string
  impressions: number
  clicks: number
  add_to_carts: number
  purchases: number
  /** clicks / impressions (0 without impressions) */
  ctr: number
  /** purchases / impressions (0 without impressions) */
  conversion: number
}
