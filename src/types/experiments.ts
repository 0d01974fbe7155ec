// Type-only: the admin extensions (src/admin) import it too, so it must hold no runtime code.

/**
 * What an arm serves: `model` the plugin's ranking (the active version, or the
 * arm's `model_version_id`), `trending` what sells best lately in the shop,
 * `popular_in_category` what sells best in the categories of the product on the
 * page (else of the shopper's latest viewed product), `none` nothing (the
 * placement hidden).
 */
export type ArmStrategy = "model" | "trending" | "popular_in_category" | "none"

export interface ExperimentArm {
  name: string
  /** Fraction of shoppers, the arms' shares summing to 1. */
  share: number
  strategy: ArmStrategy
  /**
   * For a `model` arm: a stored, ready model version that serves this arm instead of
   * the active one (a candidate against the active version). Absent: the active version.
   */
  model_version_id?: string | null
}

export type ExperimentStatus = "draft" | "running" | "stopped"
