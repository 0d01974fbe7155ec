import { api, itState } from "../support/harness"
import { browserState } from "./state"
import { launch, RunningBrowser, screenshotWhole } from "./chromium"

/* eslint-disable @typescript-eslint/no-var-requires */
const { ADMIN } = require("../support/test-seed")

type Segment = { id: string; name: string; size: number }
type Member = { customer_id: string; email: string | null }

/**
 * The admin pages of the plugin on the model trained in the browser global
 * setup (POST /admin/interest/models/train, run polled until it succeeded).
 */
describe("admin segment pages", () => {
  let b: RunningBrowser
  let token: string
  let segments: Segment[]

  beforeAll(async () => {
    const auth = await api("/admin/auth/token", { body: ADMIN })
    expect(auth.status).toBe(200)
    token = auth.body.access_token
    const run = await api(`/admin/interest/runs/${browserState().browser.run.id}`, { token })
    expect(run.status).toBe(200)
    expect(run.body.run.status).toBe("succeeded")
    const res = await api("/admin/interest/segments", { token })
    expect(res.status).toBe(200)
    segments = res.body.segments
    expect(segments.length).toBeGreaterThanOrEqual(2)

    b = await launch()
    const { page } = b
    await page.goto(`${itState().baseUrl}/app/login`)
    await page.getByPlaceholder("Email").fill(ADMIN.email)
    await page.getByPlaceholder("Password").fill(ADMIN.password)
    await page.getByRole("button", { name: "Continue" }).click()
    await page.waitForURL(/\/app\/a\//, { timeout: 60_000 })
  })
  afterAll(async () => {
    await b?.close()
  })

  it("lists every segment of the trained model on the Segments page", async () => {
    const { page } = b
    await page.goto(`${itState().baseUrl}/app/a/segments`)
    await page.getByRole("heading", { name: "Segments", level: 1 }).waitFor({ timeout: 60_000 })
    const table = page.getByRole("table")
    for (const s of segments) {
      await table.getByRole("row").filter({ hasText: s.name }).first().waitFor({ timeout: 30_000 })
    }
    // One row per segment (plus the header row), each with its size.
    const rows = await table.getByRole("row").allInnerTexts()
    expect(rows.length).toBe(segments.length + 1)
    for (const s of segments) {
      const row = rows.find((r) => r.includes(s.name)) as string
      expect(row).toContain(String(s.size))
    }
    await screenshotWhole(page, "admin-segments.png")
  })

  it("opens a segment from the list and shows its members", async () => {
    const { page } = b
    const biggest = [...segments].sort((x, y) => y.size - x.size)[0]
    const members = await api(`/admin/interest/segments/${biggest.id}/members?limit=5`, { token })
    expect(members.status).toBe(200)
    const expected = (members.body.members as Member[]).map((m) => m.email).filter((e): e is string => !!e)
    expect(expected.length).toBeGreaterThan(0)

    await page.goto(`${itState().baseUrl}/app/a/segments`)
    await page.getByRole("table").getByRole("row").filter({ hasText: biggest.name }).first().click()
    await page.waitForURL(new RegExp(`/app/a/segments/${biggest.id}$`))
    await page.getByRole("heading", { name: biggest.name, level: 1 }).waitFor({ timeout: 30_000 })
    for (const email of expected) {
      await page.getByRole("cell", { name: email }).waitFor({ timeout: 30_000 })
    }
    await screenshotWhole(page, "admin-segment.png")
  })
})
