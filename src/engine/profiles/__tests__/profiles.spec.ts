import { buildDataset } from "../../data/dataset"
import { InterestEvent } from "../../types"
import { applyIdf, inverseDocumentFrequency } from "../idf"
import { computeEventPeriods, decayedProfile, periodProfiles } from "../period-profiles"
import { DEFAULT_EVENT_WEIGHTS, decayFactor, eventWeightTable } from "../weights"

const DAY = 86400000
const ev = (customerId: string, productId: string, type: InterestEvent["type"], day: number, quantity?: number): InterestEvent => ({
  customerId,
  productId,
  type,
  timestamp: Date.UTC(2020, 0, 6) + day * DAY, // a Monday
  ...(quantity ? { quantity } : {}),
})

describe("profiles", () => {
  const catalog = [
    { id: "lamp", categoryIds: ["lighting"] },
    { id: "lamp-rug", categoryIds: ["lighting", "rugs"] },
    { id: "rug", categoryIds: ["rugs"] },
  ]
  const events = [
    ev("u1", "lamp", "view", 0), // week 0: lighting +1
    ev("u1", "lamp-rug", "purchase", 1), // week 0: 5 split -> lighting +2.5, rugs +2.5
    ev("u1", "rug", "add_to_cart", 8, 2), // week 1: 3 x 2 -> rugs +6
  ]
  const ds = buildDataset(events, catalog)
  const weeks = computeEventPeriods(ds, "week")
  const table = eventWeightTable(DEFAULT_EVENT_WEIGHTS)
  const L = ds.facets.category.index.get("lighting") as number
  const R = ds.facets.category.index.get("rugs") as number

  it("weights events by type and splits multi-category products", () => {
    const prof = periodProfiles(ds, weeks, 0, 3, "category", table)
    expect(prof).toHaveLength(2)
    expect(prof[0].events).toBe(2)
    expect(prof[0].vector.get(L)).toBeCloseTo(3.5, 12)
    expect(prof[0].vector.get(R)).toBeCloseTo(2.5, 12)
    expect(prof[1].vector.get(R)).toBeCloseTo(6, 12)
    expect(prof[1].vector.has(L)).toBe(false)
  })

  it("decays older periods by half-life", () => {
    expect(decayFactor(2, 2)).toBeCloseTo(0.5, 12)
    expect(decayFactor(0, 2)).toBe(1)
    const prof = periodProfiles(ds, weeks, 0, 3, "category", table)
    const ref = prof[1].period
    const d = decayedProfile(prof, ref, 1) // week 0 counts half
    expect(d.get(L)).toBeCloseTo(3.5 * 0.5, 12)
    expect(d.get(R)).toBeCloseTo(2.5 * 0.5 + 6, 12)
  })

  it("IDF damps what every customer has", () => {
    const a = new Map([[0, 1], [1, 1]])
    const b = new Map([[0, 1]])
    const idf = inverseDocumentFrequency([a, b], 2)
    expect(idf[0]).toBeCloseTo(Math.log(3 / 3) + 1, 12) // everyone: 1
    expect(idf[1]).toBeCloseTo(Math.log(3 / 2) + 1, 12)
    const damped = applyIdf(a, idf)
    expect((damped.get(1) as number) > (damped.get(0) as number)).toBe(true)
  })
})
