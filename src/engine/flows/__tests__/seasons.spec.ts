import { buildDataset } from "../../data/dataset"
import { periodOf } from "../../data/periods"
import { evaluateOnEvents } from "../../evaluation/evaluate"
import { computeEventPeriods, periodProfiles } from "../../profiles/period-profiles"
import { eventWeightTable, DEFAULT_EVENT_WEIGHTS } from "../../profiles/weights"
import { CatalogProduct, InterestEvent } from "../../types"
import { SeededRandom } from "../../util/random"
import { cycleSlot, seasonalIndex, spanDays } from "../seasons"

const DAY = 86_400_000
const STEADY = ["books", "kitchen", "toys", "tools"]
/** Seasonal categories and the month (0 = January) each peaks in. */
const PEAKS: Record<string, number> = { gifts: 11, garden: 4, school: 8 }

/**
 * 60 customers, every month from January 2021 to December 2023: each has a
 * favourite steady category, and in its peak month a seasonal category takes most
 * of everyone's interest. The last December is every customer's test period.
 */
function seasonalShop(): { catalog: CatalogProduct[]; events: InterestEvent[] } {
  const categories = [...STEADY, ...Object.keys(PEAKS)]
  const catalog: CatalogProduct[] = categories.flatMap((c) => Array.from({ length: 8 }, (_, i) => ({ id: `${c}-${i}`, categoryIds: [c] })))
  const rng = new SeededRandom(11)
  const events: InterestEvent[] = []
  for (let u = 0; u < 60; u++) {
    const favourite = STEADY[u % STEADY.length]
    for (let m = 0; m < 36; m++) {
      const start = Date.UTC(2021, m, 1)
      const seasonal = Object.keys(PEAKS).find((c) => PEAKS[c] === m % 12)
      for (let e = 0; e < 5; e++) {
        const r = rng.next()
        const category = seasonal && r < 0.6 ? seasonal : r < 0.8 ? favourite : STEADY[rng.int(STEADY.length)]
        events.push({ customerId: `u${u}`, productId: `${category}-${rng.int(8)}`, type: "view", timestamp: start + (1 + rng.int(25)) * DAY + e * 3600_000 })
      }
    }
  }
  return { catalog, events }
}

describe("seasonalIndex", () => {
  const { catalog, events } = seasonalShop()
  const ds = buildDataset(events, catalog)
  const periods = computeEventPeriods(ds, "month")
  const weights = eventWeightTable(DEFAULT_EVENT_WEIGHTS)
  const sequences = ds.customerIds.map((_, c) => periodProfiles(ds, periods, ds.customerOffsets[c], ds.customerOffsets[c + 1], "category", weights))
  const cat = (id: string): number => ds.facets.category.ids.indexOf(id)

  it("finds the category that peaks every December, and no season in the steady ones", () => {
    const index = seasonalIndex(sequences, "month", "month")
    expect(index).not.toBeNull()
    const gifts = index!.categories.find((c) => c.category === cat("gifts"))!
    const december = gifts.index[11]
    expect(december).toBeGreaterThan(5)
    for (let m = 0; m < 11; m++) expect(gifts.index[m]).toBeLessThan(0.5)
    // Each seasonal category peaks in its own month.
    for (const [id, month] of Object.entries(PEAKS)) {
      const row = index!.categories.find((c) => c.category === cat(id))!.index
      expect(row.indexOf(Math.max(...row))).toBe(month)
    }
    // Steady categories only give way in the seasonal months: they never peak.
    for (const id of STEADY) {
      const row = index!.categories.find((c) => c.category === cat(id))!.index
      for (const x of row) expect(x).toBeLessThan(1.5)
    }
  })

  it("has no index for data spanning less than a year, and none by weekday for months", () => {
    const firstYear = sequences.map((s) => s.filter((p) => p.period < periodOf(Date.UTC(2021, 11, 1), "month")))
    expect(spanDays(periodOf(Date.UTC(2021, 0, 1), "month"), periodOf(Date.UTC(2021, 10, 1), "month"), "month")).toBeLessThan(365)
    expect(seasonalIndex(firstYear, "month", "month")).toBeNull()
    expect(seasonalIndex(sequences, "month", "weekday")).toBeNull()
  })

  it("places periods in their month and weekday", () => {
    expect(cycleSlot(periodOf(Date.UTC(2023, 11, 5), "month"), "month", "month")).toBe(11)
    expect(cycleSlot(periodOf(Date.UTC(2024, 0, 1), "day"), "day", "weekday")).toBe(0) // a Monday
    expect(cycleSlot(periodOf(Date.UTC(2024, 0, 7), "day"), "day", "weekday")).toBe(6)
  })

  it("the seasonal feature improves the ranker on the held-out December", async () => {
    const result = await evaluateOnEvents(events, catalog, { ks: [3], engine: { period: "month", seed: 5, seasons: { enabled: true } } })
    const ndcg = (method: string): number =>
      result.results.find((r) => r.method === method && r.level === "category" && r.cohort === "all" && r.k === 3)!.ndcg
    expect(result.customers.all).toBe(60)
    const diff = result.comparisons.find((c) => c.versus === "without_season" && c.level === "category" && c.k === 3)!
    expect(ndcg("model")).toBeGreaterThan(ndcg("without_season") + 0.05)
    expect(diff.ci95[0]).toBeGreaterThan(0)
  }, 120_000)
})
