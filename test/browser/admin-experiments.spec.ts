import { assignArm } from "../../src/engine/experiments/assignment"
import { SeededRandom } from "../../src/engine/util/random"
import { api, apiFrom, createCustomer, itState, placeOrder, products, sql, uniqueId, waitFor } from "../support/harness"
import { Page } from "playwright-core"
import { launch, RunningBrowser, screenshotPath } from "./chromium"
import { loginAdmin } from "./admin-login"

/* eslint-disable @typescript-eslint/no-var-requires */
const { ADMIN } = require("../support/test-seed")

type ArmOutcome = { name: string; shoppers: number; judged: boolean | null }

const DAY = 86_400_000
/**
 * Simulated shoppers of the experiment, and the share of each arm's that order
 * after seeing a list (exactly: spread evenly over the arm's shoppers, so the
 * arms always have enough orders to be judged, whatever the split).
 */
const SIMULATED = 700
const CONVERSION: Record<string, number> = { model: 0.18, control: 0.11 }
/** The experiment's age: its shoppers arrive over these days, so the chart has points. */
const DAYS = 10

async function screenshotWhole(page: Page, name: string): Promise<void> {
  const height = await page.evaluate(() => Math.min(3000, Math.max(...Array.from(document.querySelectorAll("*"), (e) => e.scrollHeight + 80))))
  await page.setViewportSize({ width: 1400, height: Math.max(900, height) })
  await page.waitForTimeout(300)
  await page.screenshot({ path: screenshotPath(name) })
  await page.setViewportSize({ width: 1400, height: 900 })
}

/**
 * A few hundred shoppers per arm with orders, written straight into the tables
 * the results read (placing hundreds of real orders would take minutes): an
 * impression of the experiment per shopper in the arm the assignment gives
 * them, over `DAYS` days, and for the ones who order, purchase events of real
 * orders' line items (so revenue is priced as for any order). They do not
 * click: last-touch attribution counts distinct orders, which these share.
 */
async function simulateShoppers(experimentId: string, arms: { name: string; share: number }[], orderIds: string[]): Promise<number> {
  const lines = await sql<{ id: string; order_id: string; product_id: string }>(
    `SELECT li.id, li.order_id, v.product_id FROM line_item li JOIN product_variant v ON v.id = li.variant_id WHERE li.order_id = ANY($1)`,
    [orderIds]
  )
  expect(lines.length).toBeGreaterThan(0)
  const rng = new SeededRandom(15)
  const prefix = uniqueId("xsim").replace(/[^A-Za-z0-9_]/g, "")
  const now = Date.now()
  const impressions: Record<string, unknown>[] = []
  const events: Record<string, unknown>[] = []
  const seen: Record<string, number> = {}
  const converted: Record<string, number> = {}
  for (let i = 0; i < SIMULATED; i++) {
    const customer = `cus_${prefix}_${i}`
    const arm = assignArm(experimentId, `c:${customer}`, arms)
    const exposedAt = now - DAYS * DAY + Math.floor(rng.next() * (DAYS * DAY - 3_600_000))
    const line = lines[Math.floor(rng.next() * lines.length)]
    const impression = `irec_${prefix}_${i}`
    impressions.push({
      id: impression,
      customer_id: customer,
      placement: "trending",
      product_ids: [line.product_id],
      created_at: new Date(exposedAt).toISOString(),
      experiment_id: experimentId,
      arm,
    })
    seen[arm] = (seen[arm] ?? 0) + 1
    if ((converted[arm] ?? 0) + 1 > CONVERSION[arm] * seen[arm]) continue
    converted[arm] = (converted[arm] ?? 0) + 1
    const boughtAt = exposedAt + Math.floor(rng.next() * Math.min(2 * DAY, now - exposedAt - 1000))
    events.push({
      id: `${impression}_p`,
      customer_id: customer,
      product_id: line.product_id,
      type: "purchase",
      occurred_at: new Date(boughtAt).toISOString(),
      client_event_id: `order:${line.order_id}:${line.id}:${customer}`,
      source_order_id: line.order_id,
    })
  }
  await sql(
    `INSERT INTO interest_impression (id, customer_id, placement, product_ids, created_at, experiment_id, arm)
     SELECT id, customer_id, placement, product_ids, created_at, experiment_id, arm
     FROM jsonb_to_recordset($1::jsonb) AS r(id text, customer_id text, placement text, product_ids jsonb, created_at timestamptz, experiment_id text, arm text)`,
    [JSON.stringify(impressions)]
  )
  await sql(
    `INSERT INTO interest_event (id, customer_id, product_id, type, occurred_at, client_event_id, source_order_id)
     SELECT id, customer_id, product_id, type, occurred_at, client_event_id, source_order_id
     FROM jsonb_to_recordset($1::jsonb) AS r(id text, customer_id text, product_id text, type text, occurred_at timestamptz, client_event_id text, source_order_id text)`,
    [JSON.stringify(events)]
  )
  return SIMULATED
}

/**
 * The Experiments page on a running experiment of ten days: shoppers served
 * through the store route (a few of them ordering for real) and a few hundred
 * simulated shoppers per arm with orders, enough for a judged result. Its arms
 * show the shopper counts the results route gives, and shipping an arm from
 * the page stops the experiment.
 */
describe("admin Experiments page", () => {
  let b: RunningBrowser
  let token: string
  let experimentId: string
  let shoppers = 0

  beforeAll(async () => {
    const auth = await api("/admin/auth/token", { body: ADMIN })
    expect(auth.status).toBe(200)
    token = auth.body.access_token
    const created = await api("/admin/interest/experiments", {
      token,
      body: {
        name: "Trending carousel: model vs best sellers",
        placement: "trending",
        arms: [
          { name: "model", share: 0.5, strategy: "model" },
          { name: "control", share: 0.5, strategy: "trending" },
        ],
      },
    })
    expect(created.status).toBe(201)
    experimentId = created.body.experiment.id
    const started = await api(`/admin/interest/experiments/${experimentId}/start`, { token, body: {} })
    expect(started.status).toBe(200)
    // Started ten days ago, as far as the results (and their daily series) are concerned.
    await sql(`UPDATE interest_experiment SET started_at = now() - make_interval(days => $2) WHERE id = $1`, [experimentId, DAYS])
    for (let i = 0; i < 40; i++) {
      const res = await apiFrom("127.0.16.1", "/store/recommendations?placement=trending&limit=3", { headers: { "x-interest-visitor-id": uniqueId(`bx${i}`).replace(/[^A-Za-z0-9_]/g, "") } })
      expect(res.status).toBe(200)
      expect(res.body.experiment_id).toBe(experimentId)
    }
    // Three real shoppers click the first product of their list and buy it: the attributed column.
    const variants = new Map((await products(200)).map((p) => [p.id, p.variantId]))
    const orders: string[] = []
    for (let i = 0; i < 3; i++) {
      const customer = await createCustomer()
      const list = await api("/store/recommendations?placement=trending&limit=3", { token: customer.token })
      expect(list.body.experiment_id).toBe(experimentId)
      const product = list.body.products[0]
      const click = await api("/store/interest/events", {
        token: customer.token,
        body: { events: [{ type: "click", product_id: product.id, recommendation_id: list.body.recommendation_id }] },
      })
      expect(click.body.results[0].attributed).toBe(true)
      orders.push((await placeOrder(customer, [{ variantId: variants.get(product.id) as string, quantity: 1 + i }])).id)
    }
    shoppers = 40 + orders.length + (await simulateShoppers(experimentId, started.body.experiment.arms, orders))
    b = await launch()
    const { page } = b
    await loginAdmin(page, itState().baseUrl, ADMIN)
  })
  afterAll(async () => {
    await api(`/admin/interest/experiments/${experimentId}/stop`, { token, body: {} })
    await b?.close()
  })

  it("shows the running experiment's arms with their shoppers and a judged uplift, and ships an arm", async () => {
    const results = await waitFor(async () => {
      const r = await api(`/admin/interest/experiments/${experimentId}/results`, { token })
      const total = r.body.arms?.reduce((s: number, a: ArmOutcome) => s + a.shoppers, 0)
      return total === shoppers ? r.body : null
    })
    // Enough orders in both arms for a verdict: the page must not say there are too few.
    expect(results.arms.find((a: ArmOutcome) => a.name === "model").judged).toBe(true)
    // The real shoppers' orders arrive through order.placed; the clicked ones are attributed.
    await waitFor(async () => {
      const r = await api(`/admin/interest/experiments/${experimentId}/results`, { token })
      return r.body.arms.reduce((s: number, a: { attributed_orders: number }) => s + a.attributed_orders, 0) === 3 || null
    })
    expect(results.daily.length).toBeGreaterThanOrEqual(DAYS)
    const { page } = b
    await page.goto(`${itState().baseUrl}/app/a/experiments`)
    await page.getByRole("heading", { name: "Experiments", level: 1 }).waitFor({ timeout: 60_000 })
    await page.getByRole("heading", { name: "Trending carousel: model vs best sellers" }).waitFor({ timeout: 30_000 })
    // The control's strategy once: "compared with control (trending)".
    await page.getByText("compared with control (trending)").waitFor({ timeout: 30_000 })
    for (const arm of results.arms as ArmOutcome[]) {
      const row = page.getByRole("row").filter({ hasText: `${arm.name} (` }).first()
      await row.waitFor({ timeout: 30_000 })
      expect(await row.innerText()).toContain(String(arm.shoppers))
    }
    expect(await page.getByText("too few orders to judge").count()).toBe(0)
    await page.getByRole("img", { name: "Uplift over time" }).first().waitFor({ timeout: 30_000 })
    await screenshotWhole(page, "admin-experiments.png")

    await page.getByRole("button", { name: "Ship model" }).click()
    await page.getByRole("button", { name: "Ship", exact: true }).click()
    await waitFor(async () => (await api(`/admin/interest/experiments/${experimentId}`, { token })).body.experiment.status === "stopped")
    expect((await api(`/admin/interest/experiments/${experimentId}`, { token })).body.experiment.winner).toBe("model")
  })
})
