import { api, apiFrom, createCustomer, itState, placeOrder, products, uniqueId, waitFor } from "../support/harness"
import { Page } from "playwright-core"
import { launch, RunningBrowser, screenshotPath } from "./chromium"

/* eslint-disable @typescript-eslint/no-var-requires */
const { ADMIN } = require("../support/test-seed")

type ArmOutcome = { name: string; shoppers: number }

async function screenshotWhole(page: Page, name: string): Promise<void> {
  const height = await page.evaluate(() => Math.min(3000, Math.max(...Array.from(document.querySelectorAll("*"), (e) => e.scrollHeight + 80))))
  await page.setViewportSize({ width: 1400, height: Math.max(900, height) })
  await page.waitForTimeout(300)
  await page.screenshot({ path: screenshotPath(name) })
  await page.setViewportSize({ width: 1400, height: 900 })
}

/**
 * The Experiments page on a running experiment fed by simulated visitors and
 * a few real orders: its arms with their shopper counts as the results route
 * gives them, and shipping an arm from the page stops the experiment.
 */
describe("admin Experiments page", () => {
  let b: RunningBrowser
  let token: string
  let experimentId: string

  beforeAll(async () => {
    const auth = await api("/admin/auth/token", { body: ADMIN })
    expect(auth.status).toBe(200)
    token = auth.body.access_token
    const created = await api("/admin/interest/experiments", {
      token,
      body: {
        name: "Trending carousel: model vs popular",
        placement: "trending",
        arms: [
          { name: "model", share: 0.5, strategy: "model" },
          { name: "control", share: 0.5, strategy: "trending" },
        ],
      },
    })
    expect(created.status).toBe(201)
    experimentId = created.body.experiment.id
    expect((await api(`/admin/interest/experiments/${experimentId}/start`, { token, body: {} })).status).toBe(200)
    for (let i = 0; i < 200; i++) {
      const res = await apiFrom("127.0.16.1", "/store/recommendations?placement=trending&limit=3", { headers: { "x-interest-visitor-id": uniqueId(`bx${i}`).replace(/[^A-Za-z0-9_]/g, "") } })
      expect(res.status).toBe(200)
    }
    const [first] = await products(1)
    for (let i = 0; i < 4; i++) {
      const customer = await createCustomer()
      const list = await api("/store/recommendations?placement=trending&limit=3", { token: customer.token })
      expect(list.body.experiment_id).toBe(experimentId)
      await placeOrder(customer, [{ variantId: first.variantId, quantity: 1 + i }])
    }
    b = await launch()
    const { page } = b
    await page.goto(`${itState().baseUrl}/app/login`)
    await page.getByPlaceholder("Email").fill(ADMIN.email)
    await page.getByPlaceholder("Password").fill(ADMIN.password)
    await page.getByRole("button", { name: "Continue" }).click()
    await page.waitForURL(/\/app\/a\//, { timeout: 60_000 })
  })
  afterAll(async () => {
    await api(`/admin/interest/experiments/${experimentId}/stop`, { token, body: {} })
    await b?.close()
  })

  it("shows the running experiment's arms with their shoppers, and ships an arm", async () => {
    const results = await waitFor(async () => {
      const r = await api(`/admin/interest/experiments/${experimentId}/results`, { token })
      const total = r.body.arms?.reduce((s: number, a: ArmOutcome) => s + a.shoppers, 0)
      return total === 204 ? r.body : null
    })
    const { page } = b
    await page.goto(`${itState().baseUrl}/app/a/experiments`)
    await page.getByRole("heading", { name: "Experiments", level: 1 }).waitFor({ timeout: 60_000 })
    await page.getByRole("heading", { name: "Trending carousel: model vs popular" }).waitFor({ timeout: 30_000 })
    for (const arm of results.arms as ArmOutcome[]) {
      const row = page.getByRole("row").filter({ hasText: `${arm.name} (` }).first()
      await row.waitFor({ timeout: 30_000 })
      expect(await row.innerText()).toContain(String(arm.shoppers))
    }
    await page.getByRole("img", { name: "Uplift over time" }).or(page.getByText("No uplift yet")).first().waitFor({ timeout: 30_000 })
    await screenshotWhole(page, "admin-experiments.png")

    await page.getByRole("button", { name: "Ship model" }).click()
    await page.getByRole("button", { name: "Ship", exact: true }).click()
    await waitFor(async () => (await api(`/admin/interest/experiments/${experimentId}`, { token })).body.experiment.status === "stopped")
    expect((await api(`/admin/interest/experiments/${experimentId}`, { token })).body.experiment.winner).toBe("model")
  })
})
