import { api, itState } from "../support/harness"
import { browserState } from "./state"
import { launch, RunningBrowser, screenshotWhole } from "./chromium"
import type { InterestSharesReport, TransitionsReport } from "../../src/types/interest-flows"
import { loginAdmin } from "./admin-login"

/* eslint-disable @typescript-eslint/no-var-requires */
const { ADMIN } = require("../support/test-seed")

const nameOf = (c: { id: string; name: string | null }): string => c.name ?? c.id

/**
 * The Interests page on the model trained in the browser global setup: the
 * share chart and table, and the transition heat map with its "where do
 * customers of X go next?" panel, checked against the routes' answers.
 */
describe("admin Interests page", () => {
  let b: RunningBrowser
  let shares: InterestSharesReport
  let transitions: TransitionsReport
  const failed: string[] = []

  beforeAll(async () => {
    const auth = await api("/admin/auth/token", { body: ADMIN })
    expect(auth.status).toBe(200)
    const token = auth.body.access_token
    const res = await api<InterestSharesReport>("/admin/interest/interests", { token })
    expect(res.status).toBe(200)
    shares = res.body
    expect(shares.model_version_id).toBe(browserState().browser.run.model_version_id)
    expect(shares.categories.length).toBeGreaterThanOrEqual(2)
    const tr = await api<TransitionsReport>("/admin/interest/transitions", { token })
    expect(tr.status).toBe(200)
    transitions = tr.body
    expect(transitions.rows.some((r) => r.customers > 0)).toBe(true)

    b = await launch()
    const { page } = b
    await loginAdmin(page, itState().baseUrl, ADMIN)
    page.on("response", (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`)
    })
    // The login page's own session probes answer 401: only what this page does counts.
    b.pageErrors.length = 0
  })
  afterAll(async () => {
    await b?.close()
  })

  it("draws each top category's share and trend, and the transitions with small cells greyed", async () => {
    const { page } = b
    await page.goto(`${itState().baseUrl}/app/a/interests`)
    await page.getByRole("heading", { name: "Interests", level: 1 }).waitFor({ timeout: 60_000 })
    await page.getByRole("img", { name: /^Share of interest:/ }).waitFor({ timeout: 30_000 })
    // One table row per reported category, with its trend.
    const table = page.getByRole("table").first()
    const rows = await table.getByRole("row").allInnerTexts()
    expect(rows.length).toBe(shares.categories.length + 1)
    for (const c of shares.categories) {
      const row = rows.find((r) => r.startsWith(nameOf(c))) as string
      expect(row).toBeDefined()
      expect(row).toContain(c.trend)
    }
    // One band per category plus "Other".
    expect(await page.getByRole("img", { name: /^Share of interest:/ }).locator("path").count()).toBe(shares.categories.length + 1)

    const heat = page.getByRole("img", { name: "Transition matrix" })
    await heat.waitFor({ timeout: 30_000 })
    const cells = transitions.rows.flatMap((r) => r.cells)
    expect(await heat.locator("rect[data-sparse]").count()).toBe(cells.length)
    expect(await heat.locator('rect[data-sparse="true"]').count()).toBe(cells.filter((c) => c.sparse).length)
    expect(failed).toEqual([])
    expect(b.pageErrors).toEqual([])
  })

  it("answers where the customers of a category go next when its row is clicked", async () => {
    const { page } = b
    const i = transitions.rows.findIndex((r) => r.customers > 0)
    const from = transitions.categories[i]
    await page.getByRole("button", { name: `Where customers of ${nameOf(from)} go next` }).click()
    const panel = page.getByTestId("next-categories")
    await panel.getByRole("heading", { name: `Where do customers of ${nameOf(from)} go next?` }).waitFor({ timeout: 30_000 })
    const expected = transitions.categories
      .map((c, j) => ({ c, p: transitions.rows[i].cells[j].probability }))
      .filter((d) => d.p > 0)
      .sort((x, y) => y.p - x.p)
    const shown = await panel.getByRole("row").allInnerTexts()
    // Header, one row per destination, and "Other categories" when some interest leaves the matrix.
    expect(shown.length).toBe(1 + expected.length + (transitions.rows[i].other > 0 ? 1 : 0))
    expected.forEach((d, k) => {
      expect(shown[k + 1].startsWith(nameOf(d.c))).toBe(true)
      expect(shown[k + 1]).toContain(`${(d.p * 100).toFixed(1)}%`)
    })
    expect(b.pageErrors).toEqual([])
    await screenshotWhole(page, "admin-interests.png")
  })
})
