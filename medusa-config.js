// The dev shop that runs this plugin (`npm start`) and the shop the integration
// tests boot. The repository itself is loaded by Medusa as the project plugin
// (from dist/), so it is deliberately NOT listed in `plugins` (listing it would
// load it twice). A merchant's shop lists it instead, see README "Install".
//
// Environment:
//   DATABASE_URL  a Postgres server; without it scripts/dev-shop.js starts an
//                 embedded Postgres and sets DATABASE_URL before Medusa loads.
//   REDIS_URL     enables the Redis event bus, Redis cache and scheduled jobs.
//   REDIS_QUEUE_PREFIX  names this shop's event queue and cache keys, for shops
//                 that share one Redis (the test runs set one each): BullMQ
//                 hands a job to any worker of the queue, whatever its database.
//   JWT_SECRET, COOKIE_SECRET  without them the shop uses public dev defaults
//                 and warns; NODE_ENV=production refuses to start without them
//                 (scripts/lib/dev-secrets.js).
const { resolveDevSecrets } = require("./scripts/lib/dev-secrets")

const SECRETS = resolveDevSecrets(process.env)
const REDIS_URL = process.env.REDIS_URL
const REDIS_QUEUE_PREFIX = process.env.REDIS_QUEUE_PREFIX
const DATABASE_URL =
  process.env.DATABASE_URL || "postgres://postgres:postgres@127.0.0.1:54329/medusa_interest"

const STORE_CORS = process.env.STORE_CORS || "http://localhost:8000,http://localhost:9000"
const ADMIN_CORS = process.env.ADMIN_CORS || "http://localhost:7000,http://localhost:7001,http://localhost:9000"

const plugins = [
  `medusa-fulfillment-manual`,
  `medusa-payment-manual`,
  {
    // The admin dashboard with this plugin's pages and widgets, served at /app
    // from build/ (scripts/lib/admin.js builds it for `npm start`). Never
    // rebuilt at boot (`autoRebuild: false`: a build takes about a minute), and only
    // served when a build exists: without one the plugin would stop the server
    // at boot, and the integration tests do not build the admin.
    resolve: "@medusajs/admin",
    options: {
      path: "/app",
      outDir: "build",
      autoRebuild: false,
      serve: require("fs").existsSync(require("path").join(__dirname, "build", "index.html")),
    },
  },
]

const modules = REDIS_URL
  ? {
      eventBus: {
        resolve: "@medusajs/event-bus-redis",
        options: { redisUrl: REDIS_URL, ...(REDIS_QUEUE_PREFIX ? { queueName: `${REDIS_QUEUE_PREFIX}:events-queue` } : {}) },
      },
      cacheService: {
        resolve: "@medusajs/cache-redis",
        options: { redisUrl: REDIS_URL, ...(REDIS_QUEUE_PREFIX ? { namespace: `${REDIS_QUEUE_PREFIX}:medusa` } : {}) },
      },
    }
  : {
      eventBus: { resolve: "@medusajs/event-bus-local" },
      cacheService: { resolve: "@medusajs/cache-inmemory" },
    }

/** @type {import('@medusajs/medusa').ConfigModule["projectConfig"]} */
const projectConfig = {
  jwt_secret: SECRETS.jwtSecret,
  cookie_secret: SECRETS.cookieSecret,
  store_cors: STORE_CORS,
  admin_cors: ADMIN_CORS,
  database_url: DATABASE_URL,
  database_extra: { max: Number(process.env.DATABASE_POOL_MAX || 10) },
  ...(REDIS_URL ? { redis_url: REDIS_URL } : {}),
  worker_mode: process.env.MEDUSA_WORKER_MODE || "shared",
}

/** @type {import('@medusajs/medusa').ConfigModule} */
module.exports = {
  projectConfig,
  plugins,
  modules,
  // Categories are the main interest dimension; Medusa 1.20 keeps their store
  // and admin routes behind this flag. `analytics: false` keeps the admin from
  // asking every new admin user to opt in to usage tracking (a screen between
  // login and the dashboard) and from sending it.
  featureFlags: { product_categories: true, analytics: false },
  // Options of this plugin when it runs as the project plugin. Medusa's config
  // loader drops keys it does not know, so src/utils/resolve-options.ts reads
  // this key from this file. In a merchant's shop the same object is the
  // `options` of the plugins entry.
  interest: {
    // The demo storefront page at /interest-demo: on for the dev shop (npm start)
    // and the browser tests, which set INTEREST_DEMO_STOREFRONT=1.
    demoStorefront: process.env.INTEREST_DEMO_STOREFRONT === "1",
    // The store routes' rate limits run with the plugin's defaults. For an
    // instance of its own, INTEREST_RATE_LIMIT is "off" (the benchmarks, which
    // post from one address as fast as they can) or a JSON object of budgets
    // (the rate-limit test's small ones); INTEREST_TRUSTED_PROXIES is a
    // comma-separated trustedProxies list.
    ...(process.env.INTEREST_RATE_LIMIT
      ? { rateLimit: process.env.INTEREST_RATE_LIMIT === "off" ? false : JSON.parse(process.env.INTEREST_RATE_LIMIT) }
      : {}),
    ...(process.env.INTEREST_TRUSTED_PROXIES ? { trustedProxies: process.env.INTEREST_TRUSTED_PROXIES.split(",") } : {}),
    // A JSON eventWeights object, for instances of their own (the popular
    // fallback's weights test); unset, the plugin's defaults apply.
    ...(process.env.INTEREST_EVENT_WEIGHTS ? { eventWeights: JSON.parse(process.env.INTEREST_EVENT_WEIGHTS) } : {}),
  },
}
