// The shop's configuration as the v1 starter writes it: settings from .env
// (chosen by NODE_ENV), manual payment and fulfillment, local file uploads,
// and the admin dashboard rebuilt at boot when its sources changed. Postgres
// from DATABASE_URL; no Redis, so the local event bus and the in-memory cache.
const dotenv = require("dotenv")

const envFiles = { production: ".env.production", staging: ".env.staging", test: ".env.test" }
try {
  dotenv.config({ path: `${process.cwd()}/${envFiles[process.env.NODE_ENV] ?? ".env"}` })
} catch (e) {}

const plugins = [
  "medusa-fulfillment-manual",
  "medusa-payment-manual",
  {
    resolve: "@medusajs/file-local",
    options: { upload_dir: "uploads" },
  },
  {
    resolve: "@medusajs/admin",
    /** @type {import('@medusajs/admin').PluginOptions} */
    options: {
      autoRebuild: true,
      develop: { open: process.env.OPEN_BROWSER !== "false" },
    },
  },
]

const modules = {}

/** @type {import('@medusajs/medusa').ConfigModule["projectConfig"]} */
const projectConfig = {
  jwt_secret: process.env.JWT_SECRET || "supersecret",
  cookie_secret: process.env.COOKIE_SECRET || "supersecret",
  store_cors: process.env.STORE_CORS || "http://localhost:8000",
  admin_cors: process.env.ADMIN_CORS || "http://localhost:7000,http://localhost:7001",
  database_url: process.env.DATABASE_URL || "postgres://localhost/medusa-starter-default",
}

/** @type {import('@medusajs/medusa').ConfigModule} */
module.exports = { projectConfig, plugins, modules }
