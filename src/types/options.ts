import { DEFAULT_EVENT_WEIGHTS, EventWeights } from "../engine/profiles/weights"
import { DEFAULT_INFLUENCE_OPTIONS, InfluenceOptions } from "../engine/profiles/influence"

/**
 * Options of medusa-plugin-interest, given in the shop's `medusa-config.js`:
 *
 * ```js
 * plugins: [{ resolve: "medusa-plugin-interest", options: { period: "week" } }]
 * ```
 */
export interface InterestPluginOptions {
  /**
   * Weight of each event type in a profile, in popularity and in the storefront's
   * popular fallback.
   * @defaultValue the engine's DEFAULT_EVENT_WEIGHTS: { view: 1, click: 0.5, wishlist: 2, add_to_cart: 3, purchase: 5 }
   */
  eventWeights: EventWeights
  /**
   * How much one shopper can move what every shopper sees: popularity, trending,
   * co-occurrence and Markov counts in training, and the popular fallback.
   * `shopperCap` is the most event weight one shopper adds to one product in one
   * period; a shopper with an order counts `buyerWeight` times one without.
   * @defaultValue the engine's DEFAULT_INFLUENCE_OPTIONS: { shopperCap: 8, buyerWeight: 2 }
   */
  influence: InfluenceOptions
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
  /**
   * Serves a demo storefront page at `GET /interest-demo` (to try the plugin
   * out; leave it off in a real shop, where the route answers 404).
   * @defaultValue false
   */
  demoStorefront: boolean
  /**
   * Requests per client (IP + customer or visitor id) and window accepted by
   * `POST /store/interest/events`, counted per instance; more are answered 429
   * with Retry-After. `false` turns it off.
   * @defaultValue false
   */
  rateLimit: { windowMs: number; max: number } | false
  /**
   * Heap limit of the training worker thread, in MB. Without one V8 lets the
   * worker's heap grow towards a quarter of the machine's memory before it
   * collects; 1600 keeps a 100k-customer / 2M-event run under 2 GB resident
   * (bench:train). A run that needs more fails with a message naming this option.
   * @defaultValue 1600
   */
  trainingMaxHeapMb: number
}

export const DEFAULT_OPTIONS: InterestPluginOptions = {
  eventWeights: { ...DEFAULT_EVENT_WEIGHTS },
  influence: { ...DEFAULT_INFLUENCE_OPTIONS },
  period: "week",
  kRange: { min: 2, max: 12 },
  schedule: "0 3 * * *",
  placementLimits: { default: 12, max: 50 },
  excludePurchasedDays: 30,
  backend: "auto",
  maxBatchSize: 100,
  maxEventAgeDays: 90,
  demoStorefront: false,
  rateLimit: false,
  trainingMaxHeapMb: 1600,
}
