/**
 * Options of medusa-plugin-interest, given in the shop's `medusa-config.js`:
 *
 * ```js
 * plugins: [{ resolve: "medusa-plugin-interest", options: { period: "week" } }]
 * ```
 */
export interface InterestPluginOptions {
  /**
   * Weight of each event type in a profile.
   * @defaultValue { view: 1, click: 1, wishlist: 3, add_to_cart: 4, purchase: 8 }
   */
  eventWeights: Record<"view" | "click" | "wishlist" | "add_to_cart" | "purchase", number>
  /**
   * Length of one profile period.
   * @defaultValue "week"
   */
  period: "day" | "week" | "month"
  /**
   * Range of segment counts k-means may choose from.
   * @defaultValue { min: 2, max: 12 }
   */
  kRange: { min: number; max: number }
  /**
   * Cron expression of the scheduled training (only with `redis_url`).
   * @defaultValue "0 3 * * *" (nightly at 03:00)
   */
  schedule: string
  /**
   * Default and maximum number of products per placement.
   * @defaultValue { default: 12, max: 50 }
   */
  placementLimits: { default: number; max: number }
  /**
   * Products bought within this many days are not recommended again.
   * @defaultValue 30
   */
  excludePurchasedDays: number
  /**
   * TensorFlow.js backend: "auto" picks tfjs-node, then wasm, then cpu.
   * @defaultValue "auto"
   */
  backend: "auto" | "tensorflow" | "wasm" | "cpu"
  /**
   * Most events accepted in one `POST /store/interest/events` request.
   * @defaultValue 100
   */
  maxBatchSize: number
  /**
   * Oldest `occurred_at` accepted from the storefront, in days.
   * @defaultValue 90
   */
  maxEventAgeDays: number
}

export const DEFAULT_OPTIONS: InterestPluginOptions = {
  eventWeights: { view: 1, click: 1, wishlist: 3, add_to_cart: 4, purchase: 8 },
  period: "week",
  kRange: { min: 2, max: 12 },
  schedule: "0 3 * * *",
  placementLimits: { default: 12, max: 50 },
  excludePurchasedDays: 30,
  backend: "auto",
  maxBatchSize: 100,
  maxEventAgeDays: 90,
}
