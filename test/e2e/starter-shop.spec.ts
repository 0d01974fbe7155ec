import fs from "fs"
import os from "os"
import path from "path"
import { Client } from "pg"
import { PLACEMENTS } from "../../src/engine/pipeline"
import { loginAdmin } from "../browser/admin-login"
import { launch, RunningBrowser } from "../browser/chromium"
import { freshDatabase, FreshDatabase } from "./support-starter/database"
import { Background, runShell, ShellOptions, startShell, stopAll } from "./support-starter/processes"
import { installCommands, installSection } from "./support-starter/readme-install"
import { call, postTraffic, Traffic } from "./support-starter/shoppers"

/* eslint-disable @typescript-eslint/no-var-requires */
const { freePort } = require("../../scripts/lib/postgres")
/* eslint-enable @typescript-eslint/no-var-requires */

const ROOT = path.resolve(__dirname, "..", "..")
const TEMPLATE = path.join(__dirname, "starter-shop")
const VERSION: string = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version
const TARBALL = `medusa-plugin-interest-${VERSION}.tgz`

/** The README's install commands, run in this order; `cd` moves the later ones into the shop. */
const INSTALL = ["npm run build", 'npm pack --pack-destination "$SHOP"', 'cd "$SHOP"', `npm install ./${TARBALL}`]
const SETUP = ["npm run build", "npx medusa migrations run", "npm run seed", "npx medusa start"]
/** The README's plugin entry, added to the shop's `plugins` between INSTALL and SETUP. */
const PLUGIN_ENTRY = `  {
    resolve: "medusa-plugin-interest",
    options: { enableUI: true },
  },`
/** The README's first known issue: the shop pins the webpack its admin build works with. */
const WEBPACK = "5.91.0"
const WEBPACK_OVERRIDE = `"overrides": { "webpack": "${WEBPACK}" }`

const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8")
const SEED = JSON.parse(fs.readFileSync(path.join(TEMPLATE, "data", "seed.json"), "utf8"))
const ADMIN: { email: string; password: string } = SEED.users[0]
const INTERNAL = SEED.categories.filter((c: { is_internal?: boolean }) => c.is_internal).map((c: { name: string }) => c.name)

const log = (m: string): void => {
  // eslint-disable-next-line no-console
  console.log(`[starter-shop] ${m}`)
}
const seconds = (ms: number): string => `${Math.round(ms / 1000)} s`

/**
 * A merchant's environment: none of the npm variables `npm run test:e2e` sets,
 * nor this repository's node_modules/.bin on PATH, nor jest's NODE_ENV=test
 * (Medusa v1 loads mock services under it).
 */
function merchantEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) || k === "INIT_CWD" || k === "NODE_ENV") continue
    env[k] = v
  }
  env.PATH = (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter((p) => !p.startsWith(ROOT))
    .join(path.delimiter)
  // Quiet installs (errors still print, into the step log); no prompts, no telemetry.
  Object.assign(env, {
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
    npm_config_loglevel: "error",
    MEDUSA_DISABLE_TELEMETRY: "true",
    OPEN_BROWSER: "false",
  })
  return { ...env, ...extra }
}

async function waitForHealth(url: string, server: Background, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      if ((await fetch(`${url}/health`)).ok) return
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the shop did not answer ${url}/health within ${seconds(timeoutMs)}`)
    await Promise.race([server.exited, new Promise((r) => setTimeout(r, 1000))])
  }
}

describe("the README's install section", () => {
  it("lists exactly the commands this test runs, and the snippets it applies", () => {
    expect(installCommands(README)).toEqual([...INSTALL, ...SETUP])
    const section = installSection(README)
    expect(section).toContain(PLUGIN_ENTRY)
    expect(section).toContain(WEBPACK_OVERRIDE)
  })
})

/**
 * The packed plugin installed into a shop set up the way Medusa's v1 starter
 * (medusajs/medusa-starter-default, branch v1) sets one up: its dependency
 * list and ranges, `npm install` with no lock file (what a merchant's fresh
 * install resolves today), its plugins and its own migration. Then the
 * README's install commands, word for word, and the plugin used over HTTP and
 * in the admin as a merchant would.
 */
describe("the packed plugin in a shop set up like Medusa's v1 starter", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "interest-starter-"))
  const shop = path.join(tmp, "shop")
  const logFile = path.join(os.tmpdir(), `interest-starter-shop-${process.pid}.log`)
  let db: FreshDatabase | null = null
  let server: Background | null = null
  let baseUrl = ""
  let freshWebpack = ""
  let adminToken = ""
  let traffic: Traffic
  let productsByCategory: Map<string, string[]>
  const started = Date.now()

  beforeAll(async () => {
    db = await freshDatabase(`interest_starter_${process.pid}_${Date.now().toString(36)}`)
    const port = await freePort()
    baseUrl = `http://127.0.0.1:${port}`
    log(`shop in ${shop}, database on ${db.server}, port ${port}, commands logged to ${logFile}`)
    const env = merchantEnv({ SHOP: shop, DATABASE_URL: db.url, PORT: String(port) })
    const step = async (command: string, cwd: string): Promise<void> => {
      const o: ShellOptions = { cwd, env, logFile }
      log(`\`${command}\` ${seconds(await runShell(command, o))}`)
    }

    // The shop as the starter leaves it: its files, then `npm install` without a lock file.
    fs.cpSync(TEMPLATE, shop, { recursive: true })
    await step("npm install", shop)
    freshWebpack = JSON.parse(fs.readFileSync(path.join(shop, "node_modules", "webpack", "package.json"), "utf8")).version

    // Known issue 1 of the README, then its install commands.
    const pkgFile = path.join(shop, "package.json")
    const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8"))
    fs.writeFileSync(pkgFile, JSON.stringify({ ...pkg, overrides: { webpack: WEBPACK } }, null, 2) + "\n")
    let cwd = ROOT
    for (const command of INSTALL) {
      const cd = /^cd "\$SHOP"$/.test(command)
      if (cd) cwd = shop
      else await step(command, cwd)
    }
    const configFile = path.join(shop, "medusa-config.js")
    const config = fs.readFileSync(configFile, "utf8")
    if (!config.includes("const plugins = [\n")) throw new Error("the shop's medusa-config.js has no `const plugins = [` line")
    fs.writeFileSync(configFile, config.replace("const plugins = [\n", `const plugins = [\n${PLUGIN_ENTRY}\n`))
    for (const command of SETUP.slice(0, -1)) await step(command, shop)

    server = startShell(SETUP[SETUP.length - 1], { cwd: shop, env, logFile })
    const booting = Date.now()
    await waitForHealth(baseUrl, server, 300_000)
    log(`\`${SETUP[SETUP.length - 1]}\` healthy after ${seconds(Date.now() - booting)}; set up in ${seconds(Date.now() - started)}`)

    const auth = await call(baseUrl, "/admin/auth/token", { body: ADMIN })
    adminToken = auth.access_token
    const { products } = await call(baseUrl, "/store/products?limit=100")
    const idByHandle = new Map<string, string>(products.map((p: { handle: string; id: string }) => [p.handle, p.id]))
    productsByCategory = new Map()
    for (const p of SEED.products) {
      for (const { id } of p.categories) {
        if (INTERNAL.includes(SEED.categories.find((c: { id: string }) => c.id === id).name)) continue
        productsByCategory.set(id, [...(productsByCategory.get(id) ?? []), idByHandle.get(p.handle) as string])
      }
    }
  }, 45 * 60_000)

  afterAll(async () => {
    // The shop, and any step a timeout cut short, before its database goes.
    await server?.stop().catch(() => undefined)
    await stopAll()
    await db?.drop().catch(() => undefined)
    fs.rmSync(tmp, { recursive: true, force: true })
    log(`done in ${seconds(Date.now() - started)}`)
  })

  it("installs the tarball with the overridden webpack", () => {
    log(`a fresh install of the starter resolved webpack ${freshWebpack}`)
    const installed = (name: string): string =>
      JSON.parse(fs.readFileSync(path.join(shop, "node_modules", name, "package.json"), "utf8")).version
    expect(installed("medusa-plugin-interest")).toBe(VERSION)
    expect(installed("webpack")).toBe(WEBPACK)
    expect(JSON.parse(fs.readFileSync(path.join(shop, "package.json"), "utf8")).dependencies["medusa-plugin-interest"]).toBe(
      `file:${TARBALL}`
    )
    log(`@medusajs/medusa ${installed("@medusajs/medusa")}, typeorm ${installed("typeorm")}, @medusajs/admin ${installed("@medusajs/admin")}`)
  })

  it("seeded the starter's catalogue and ran the plugin's and the shop's own migrations", async () => {
    const client = new Client({ connectionString: db!.url })
    await client.connect()
    try {
      const products = await client.query(`SELECT count(*)::int AS n FROM product WHERE deleted_at IS NULL`)
      expect(products.rows[0].n).toBe(SEED.products.length)
      const tables = await client.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name LIKE 'interest\\_%'`)
      expect(tables.rows[0].n).toBeGreaterThanOrEqual(10)
    } finally {
      await client.end()
    }
    // The shop's own route on the shop's own table: a 500 if its migration had not run.
    const { status } = await call(baseUrl, "/admin/onboarding", { token: adminToken })
    expect(status.is_complete).toBe(false)
  })

  it("records the storefront's events of logged-in shoppers", async () => {
    traffic = await postTraffic(baseUrl, productsByCategory, 6, "starter-shopper")
    expect(traffic.shoppers.length).toBe(6 * productsByCategory.size)
    expect(traffic.accepted).toBe(traffic.shoppers.length * 24)
  })

  it("trains through the admin route", async () => {
    const { run } = await call(baseUrl, "/admin/interest/models/train", { body: {}, token: adminToken })
    const deadline = Date.now() + 300_000
    for (;;) {
      const { run: now } = await call(baseUrl, `/admin/interest/runs/${run.id}`, { token: adminToken })
      if (now.status === "succeeded") break
      if (now.status === "failed") throw new Error(`training run ${run.id} failed: ${now.error}`)
      if (Date.now() > deadline) throw new Error(`training run ${run.id} still ${now.status} after 300 s`)
      await new Promise((r) => setTimeout(r, 1000))
    }
  })

  it("names its segments from public categories only, with ids like seg_1", async () => {
    const { segments } = await call(baseUrl, "/admin/interest/segments", { token: adminToken })
    expect(segments.length).toBeGreaterThanOrEqual(2)
    for (const s of segments) {
      expect(s.id).toMatch(/^seg_\d+$/)
      for (const name of INTERNAL) {
        expect(s.name).not.toContain(name)
        expect(JSON.stringify(s.top_interests)).not.toContain(name)
      }
    }
  })

  it("prices every placement in each region, with reasons that name no internal category", async () => {
    const { regions } = await call(baseUrl, "/store/regions")
    expect(regions.map((r: { currency_code: string }) => r.currency_code).sort()).toEqual(["eur", "usd"])
    const priceOf = new Map<string, number>()
    const { products } = await call(baseUrl, "/store/products?limit=100")
    for (const p of products) {
      const seeded = SEED.products.find((s: { handle: string }) => s.handle === p.handle)
      for (const { currency_code, amount } of seeded.variants[0].prices) priceOf.set(`${p.id}:${currency_code}`, amount)
    }
    const shopper = traffic.shoppers[0]
    const viewed = productsByCategory.get(shopper.taste) as string[]
    for (const region of regions) {
      for (const placement of PLACEMENTS) {
        const query = new URLSearchParams({ placement, region_id: region.id, limit: "6" })
        if (placement === "related") query.set("product_id", viewed[0])
        const list = await call(baseUrl, `/store/recommendations?${query}`, { token: shopper.token })
        const where = `${placement} in ${region.currency_code}`
        expect([where, list.products.length > 0]).toEqual([where, true])
        for (const p of list.products) {
          const expected = priceOf.get(`${p.id}:${region.currency_code}`)
          expect([where, p.id, p.variants[0].calculated_price]).toEqual([where, p.id, expected])
          for (const name of INTERNAL) expect([where, p.reason]).toEqual([where, expect.not.stringContaining(name)])
        }
      }
    }
  })

  describe("in Chromium", () => {
    let b: RunningBrowser
    beforeAll(async () => {
      // The answer a new admin user gives Medusa's usage-analytics prompt, so it does not cover the page.
      await call(baseUrl, "/admin/analytics-configs", { body: { opt_out: true, anonymize: false }, token: adminToken })
      b = await launch()
    })
    afterAll(async () => {
      await b?.close()
    })

    it("renders the plugin's Segments page in the shop's admin", async () => {
      const { segments } = await call(baseUrl, "/admin/interest/segments", { token: adminToken })
      const { page } = b
      await loginAdmin(page, baseUrl, ADMIN)
      await page.goto(`${baseUrl}/app/a/segments`)
      await page.getByRole("heading", { name: "Segments", level: 1 }).waitFor({ timeout: 60_000 })
      const table = page.getByRole("table", { name: "All segments" })
      for (const s of segments) {
        await table.getByRole("row").filter({ hasText: s.name }).first().waitFor({ timeout: 30_000 })
      }
      expect(await table.getByRole("row").count()).toBe(segments.length + 1)
    })
  })
})
