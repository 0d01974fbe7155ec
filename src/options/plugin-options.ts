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
   * period; a customer (an account, or anyone with an order) counts
   * `customerWeight` times an anonymous visitor without an order.
   * @defaultValue the engine's DEFAULT_INFLUENCE_OPTIONS: { shopperCap: 12, customerWeight: 2 }
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
   * Budgets of the store routes per fixed window, counted in memory per
   * instance; a request over any budget is answered 429 with Retry-After and
   * stores nothing. Given values replace the defaults one by one; `false`
   * turns every limit off. See {@link RateLimitBudgets} and DEFAULT_RATE_LIMIT.
   * @defaultValue DEFAULT_RATE_LIMIT (on)
   */
  rateLimit: RateLimitBudgets | false
  /**
   * Proxies in front of the shop whose `X-Forwarded-For` is believed: IP
   * addresses, CIDR ranges (`"10.0.0.0/8"`) and the names `"loopback"`,
   * `"linklocal"`, `"uniquelocal"`. The client of a request is the right-most
   * X-Forwarded-For address that is not in this list. With none (the default)
   * the client is the socket address and X-Forwarded-For is ignored. Medusa's
   * own `trust proxy` setting is not used: it believes the last hop of anyone.
   * @defaultValue []
   */
  trustedProxies: string[]
  /**
   * Heap limit of the training worker thread, in MB. Without one V8 lets the
   * worker's heap grow towards a quarter of the machine's memory before it
   * collects; 1600 keeps a 100k-customer / 2M-event run under 2 GB resident
   * (bench:train). A run that needs more fails with a message naming this option.
   * @defaultValue 1600
   */
  trainingMaxHeapMb: number
}

/**
 * What one client may send to the store routes per window. "Shopper" is a
 * logged-in customer and a visitor id, each on its own: a request carrying both
 * spends both budgets. The IP budgets key on the client address (IPv6 by /64),
 * resolved with `trustedProxies`.
 */
export interface RateLimitBudgets {
  /** Length of one window in milliseconds. */
  windowMs: number
  /** Events (not requests) per customer and per visitor id and window on `POST /store/interest/events`. */
  eventsPerShopper: number
  /** Events per IP and window on `POST /store/interest/events`. */
  eventsPerIp: number
  /** Requests per IP and window on `POST /store/interest/events`, refused ones included. */
  eventRequestsPerIp: number
  /** Distinct customers and visitor ids per IP and window sending events. */
  shoppersPerIp: number
  /** Requests per IP and window on `POST /store/interest/identify`. */
  identifyPerIp: number
  /** Requests per IP and window on `GET /store/recommendations`. */
  recommendationsPerIp: number
}

/**
 * Well above what a storefront sends: a browsing shopper produces a few events
 * a second at the very most (600 a minute is 10 a second sustained), and one IP
 * may be an office or a mobile carrier's NAT with dozens of shoppers behind it.
 * A storefront *server* relaying many shoppers from one address should be
 * listed in `trustedProxies` (and forward the shopper's address), or get
 * higher IP budgets.
 */
export const DEFAULT_RATE_LIMIT: RateLimitBudgets = {
  windowMs: 60_000,
  eventsPerShopper: 600,
  eventsPerIp: 3000,
  eventRequestsPerIp: 1200,
  shoppersPerIp: 120,
  identifyPerIp: 60,
  recommendationsPerIp: 1200,
}

/** Days after a click or add-to-cart in which a purchase of the same product is credited to it. */
export const ATTRIBUTION_WINDOW_DAYS = 7

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
  rateLimit: { ...DEFAULT_RATE_LIMIT },
  trustedProxies: [],
  trainingMaxHeapMb: 1600,
}
