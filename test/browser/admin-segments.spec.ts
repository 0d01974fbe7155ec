import { api, itState } from "../support/harness"
import { browserState } from "./state"
import { launch, RunningBrowser, screenshotWhole } from "./chromium"
import type { SegmentFlowReport } from "../../src/types/segment-flows"
import { loginAdmin } from "./admin-login"

/* eslint-disable @typescript-eslint/no-var-requires */
const { ADMIN } = require("../support/test-seed")

type Segment = { id: string; name: string; size: number }
type Member = { customer_id: string; email: string | null }

/**
 * The admin pages of the plugin on the models trained in the browser global
 * setup (POST /admin/interest/models/train twice, each run polled until it
 * succeeded, the last ten days of history arriving in between).
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
    await loginAdmin(page, itState().baseUrl, ADMIN)
  })
  afterAll(async () => {
    await b?.close()
  })

  it("lists every segment of the trained model on the Segments page", async () => {
    const { page } = b
    await page.goto(`${itState().baseUrl}/app/a/segments`)
    await page.getByRole("heading", { name: "Segments", level: 1 }).waitFor({ timeout: 60_000 })
    const table = page.getByRole("table", { name: "All segments" })
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
  })

  it("shows where customers moved between the two runs and each segment's drift", async () => {
    const { page } = b
    const res = await api<SegmentFlowReport>("/admin/interest/flows", { token })
    expect(res.status).toBe(200)
    const flow = res.body
    expect([flow.from?.id, flow.to?.id]).toEqual([browserState().browser.previousRun.model_version_id, browserState().browser.run.model_version_id])
    expect(flow.drift.runs.slice(-2).map((r) => r.id)).toEqual([flow.from?.id, flow.to?.id])

    await page.goto(`${itState().baseUrl}/app/a/segments`)
    const table = page.getByRole("table", { name: "Segment flow" })
    await table.waitFor({ timeout: 60_000 })
    const rows = await table.getByRole("row").allInnerTexts()
    const sources = flow.segments.filter((s) => s.from_size > 0)
    const targets = flow.segments.filter((s) => s.to_size > 0)
    // Header, one row per earlier segment (plus new customers), and the totals.
    expect(rows.length).toBe(1 + sources.length + (flow.totals.new ? 1 : 0) + 1)
    for (const s of sources) {
      const cells = (rows.find((r) => r.startsWith(s.name)) as string).split("\t").map((c) => c.trim())
      const expected = targets.map((t) => flow.flows.find((f) => f.from === s.id && f.to === t.id)?.customers ?? 0)
      const gone = flow.totals.gone ? [flow.flows.find((f) => f.from === s.id && f.to === "gone")?.customers ?? 0] : []
      expect(cells.slice(1)).toEqual([...expected, ...gone, s.from_size].map((n) => (n ? n.toLocaleString("en-US") : "·")))
    }
    await expect(page.getByTestId("segment-flow-totals").innerText()).resolves.toBe(
      `${flow.totals.stayed} stayed · ${flow.totals.moved} moved · ${flow.totals.new} new · ${flow.totals.gone} gone`
    )

    // One small chart per segment of the last run, one size bar per run it existed in.
    const names = new Map(flow.segments.map((s) => [s.id, s.name]))
    expect(flow.drift.segments.length).toBeGreaterThanOrEqual(1)
    for (const s of flow.drift.segments) {
      const chart = page.getByRole("img", { name: `Drift of ${names.get(s.id) ?? s.id}`, exact: true })
      await chart.waitFor({ timeout: 30_000 })
      expect(await chart.locator('rect[data-kind="size"]').count()).toBe(s.sizes.filter((n) => n !== null).length)
      expect(await chart.locator('rect[data-kind="shift"]').count()).toBe(s.centroid_shifts.filter((n) => n !== null).length)
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
    // The admin boots, checks the session and fetches the list before the link
    // exists: as long as the list test allows, not a click's 30 s default. By
    // its exact name: "Lamps & Sofas" is part of "Tents, Lamps & Sofas" too.
    const link = page.getByRole("table", { name: "All segments" }).getByRole("link", { name: biggest.name, exact: true })
    await link.waitFor({ timeout: 60_000 })
    await link.click()
    await page.waitForURL(new RegExp(`/app/a/segments/${biggest.id}$`))
    await page.getByRole("heading", { name: biggest.name, level: 1 }).waitFor({ timeout: 30_000 })
    for (const email of expected) {
      await page.getByRole("cell", { name: email }).waitFor({ timeout: 30_000 })
    }
    await screenshotWhole(page, "admin-segment.png")
  })
})
