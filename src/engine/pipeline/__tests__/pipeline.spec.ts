import { CatalogProduct, InterestEvent } from "../../types"
import { SeededRandom } from "../../util/random"
import { TrainedArtifacts, loadArtifacts, previousSegmentsOf, recommend, trainPipeline } from ".."
import { METHOD_NAMES } from "../../ranking/methods"

const DAY = 86400000
const T0 = Date.UTC(2024, 0, 1)
const GROUPS = ["lamps", "rugs", "vases"]

function shop(): { catalog: CatalogProduct[]; events: InterestEvent[] } {
  const catalog: CatalogProduct[] = []
  for (const g of GROUPS) for (let i = 0; i < 8; i++) catalog.push({ id: `${g}-${i}`, categoryIds: [g], title: `${g} #${i}` })
  const rng = new SeededRandom(5)
  const events: InterestEvent[] = []
  GROUPS.forEach((g, gi) => {
    for (let c = 0; c < 12; c++) {
      const customerId = `${g}-fan-${c}`
      for (let week = 0; week < 5; week++) {
        for (let e = 0; e < 4; e++) {
          // 90% of a fan's events are in their group; products 0..3 are the group's favourites.
          const group = rng.next() < 0.9 ? g : GROUPS[(gi + 1) % 3]
          const item = rng.int(4) + (rng.next() < 0.3 ? 4 : 0)
          events.push({
            customerId,
            productId: `${group}-${item}`,
            type: rng.next() < 0.15 ? "purchase" : "view",
            timestamp: T0 + week * 7 * DAY + e * 3600000 + c * 60000,
          })
        }
      }
    }
  })
  return { catalog, events }
}

describe("trainPipeline / recommend", () => {
  const { catalog, events } = shop()
  let artifacts: TrainedArtifacts

  beforeAll(async () => {
    artifacts = await trainPipeline(events, catalog, { period: "week", sequence: { enabled: false }, seed: 3 })
  })

  it("finds the three interest groups as segments named by their interest", () => {
    const names = artifacts.segments.list.map((s) => s.topInterests[0].id).sort()
    expect(names).toEqual(GROUPS)
    expect(artifacts.report.lstm).toEqual({ used: false, reason: "disabled by options" })
    expect(artifacts.blends.model.warm.category).toBeDefined()
  })

  it("scores every method, single baselines included, on the validation period", () => {
    const v = artifacts.report.validation
    expect(Object.keys(v).sort()).toEqual([...METHOD_NAMES].sort())
    for (const { category, product } of Object.values(v)) {
      for (const x of [category, product]) {
        expect(x).toBeGreaterThanOrEqual(0)
        expect(x).toBeLessThanOrEqual(1)
      }
    }
    // Customers stay in their group's categories here: their own profile must beat what everyone buys.
    expect(v.repeat.category).toBeGreaterThan(v.popularity.category + 0.1)
  })

  it("keeps newcomer popularity: only products touched in a customer's first week, scaled to max 1", () => {
    const firstWeek = new Set(events.filter((e) => e.timestamp < T0 + 7 * DAY).map((e) => e.productId))
    const newcomer = artifacts.popularity.newcomer ?? []
    expect(newcomer.length).toBeGreaterThan(0)
    expect(Math.max(...newcomer.map(([, x]) => x))).toBeCloseTo(1, 6)
    for (const [p] of newcomer) expect(firstWeek.has(artifacts.products.ids[p])).toBe(true)
    expect(loadArtifacts(artifacts).stage.newcomerProducts.size).toBe(newcomer.length)
  })

  it("survives a JSON round trip with identical recommendations", () => {
    const copy = JSON.parse(JSON.stringify(artifacts)) as TrainedArtifacts
    const a = loadArtifacts(artifacts)
    const b = loadArtifacts(copy)
    for (const customerId of ["lamps-fan-0", "rugs-fan-3", "nobody"]) {
      for (const placement of ["for_you", "segment", "trending", "recently_viewed"] as const) {
        expect(recommend(b, { customerId, placement, limit: 6 })).toEqual(recommend(a, { customerId, placement, limit: 6 }))
      }
    }
  })

  it("recommends a fan's own group first, with a reason", () => {
    const res = recommend(artifacts, { customerId: "vases-fan-2", placement: "for_you", limit: 5 })
    expect(res.items).toHaveLength(5)
    expect(res.items.filter((i) => i.productId.startsWith("vases")).length).toBeGreaterThanOrEqual(4)
    for (const it of res.items) expect(it.reason.length).toBeGreaterThan(5)
    expect(res.segment?.name).toContain("vases")
  })

  it("a shopper who just viewed three lamps sees lamps", () => {
    const now = T0 + 40 * DAY
    const recentEvents: InterestEvent[] = [0, 1, 2].map((i) => ({
      customerId: "visitor-1",
      productId: `lamps-${i}`,
      type: "view",
      timestamp: now + i * 1000,
    }))
    const res = recommend(artifacts, { customerId: "visitor-1", recentEvents, placement: "for_you", limit: 4, exclude: ["lamps-0", "lamps-1", "lamps-2"] })
    expect(res.cold).toBe(true)
    expect(res.items.map((i) => i.productId).every((id) => id.startsWith("lamps-"))).toBe(true)
    expect(res.items.map((i) => i.productId)).not.toContain("lamps-0")
  })

  it("never returns nothing to a brand-new visitor, and honours restrict", () => {
    const res = recommend(artifacts, { placement: "for_you", limit: 10 })
    expect(res.items).toHaveLength(10)
    expect(res.items[0].reason).toBe("trending now")
    const only = recommend(artifacts, { placement: "for_you", limit: 10, restrict: ["rugs-7", "vases-7"] })
    expect(only.items.map((i) => i.productId).sort()).toEqual(["rugs-7", "vases-7"])
  })

  it("related products come from co-occurrence with the product", () => {
    const res = recommend(artifacts, { placement: "related", productId: "rugs-1", limit: 3 })
    expect(res.items.map((i) => i.productId)).not.toContain("rugs-1")
    expect(res.items[0].reason).toMatch(/rugs #1/)
  })

  it("rejects bad requests with a readable error", () => {
    expect(() => recommend(artifacts, { placement: "related" })).toThrow('The "related" placement needs a productId.')
    expect(() => recommend(artifacts, { placement: "nope" as never })).toThrow('Unknown placement "nope"')
  })

  it("keeps segment ids on retrain", async () => {
    const again = await trainPipeline(events.slice().reverse(), catalog, {
      period: "week",
      sequence: { enabled: false },
      seed: 11,
      previousSegments: previousSegmentsOf(artifacts),
    })
    const byInterest = (a: TrainedArtifacts): Record<string, string> =>
      Object.fromEntries(a.segments.list.map((s) => [s.topInterests[0].id, s.id]))
    expect(byInterest(again)).toEqual(byInterest(artifacts))
  })
})

describe("the learned category ranker in the artifacts", () => {
  const { catalog, events } = shop()

  it("is fitted on validation, travels in the artifacts and scores a customer's categories after loading", async () => {
    const artifacts = await trainPipeline(events, catalog, { period: "week", sequence: { enabled: false }, seed: 3 })
    // 36 customers x ~1.2 relevant categories: enough positives to fit it.
    expect(artifacts.categoryRanker).toBeDefined()
    expect(artifacts.report.categoryRanker).toHaveLength((artifacts.categoryRanker as number[]).length)
    // Three validation periods by default, and every fan is active in each of the 5 weeks.
    expect(artifacts.report.validationCases).toBe(3 * artifacts.report.validationCustomers)
    // The recent events keep their type now (open carts are a signal).
    expect(artifacts.customers.states[0].recent[0]).toHaveLength(5)
    const loaded = loadArtifacts(artifacts)
    expect(loaded.stage.categoryRanker?.weights).toEqual(artifacts.categoryRanker)
    // A lamps fan: the ranker ranks lamps first among their categories.
    const { computeSignals } = await import("../../ranking/signals")
    const c = loaded.stage.customerIndex.get("lamps-fan-0") as number
    const sig = computeSignals(loaded.stage, loaded.stage.customers[c], c)
    const top = [...sig.category.ranker.entries()].sort((a, b) => b[1] - a[1])[0]
    expect(loaded.stage.categoryIds[top[0]]).toBe("lamps")
    expect(top[1]).toBe(1)
  })

  it("loads older artifacts without a ranker (the signal stays empty)", async () => {
    const artifacts = await trainPipeline(events, catalog, { period: "week", sequence: { enabled: false }, seed: 3 })
    delete artifacts.categoryRanker
    const loaded = loadArtifacts(artifacts)
    expect(loaded.stage.categoryRanker).toBeUndefined()
    const rec = recommend(loaded, { customerId: "rugs-fan-1", placement: "for_you", limit: 3 })
    expect(rec.items).toHaveLength(3)
  })
})

describe("validationPeriods", () => {
  const { catalog, events } = shop()

  it("fits on more than one validation period per customer when asked", async () => {
    const one = await trainPipeline(events, catalog, { period: "week", sequence: { enabled: false }, seed: 3, validationPeriods: 1 })
    const two = await trainPipeline(events, catalog, { period: "week", sequence: { enabled: false }, seed: 3, validationPeriods: 2 })
    expect(two.report.validationCustomers).toBe(one.report.validationCustomers)
    // Every fan is active in each of the 5 weeks: one more case per customer.
    expect(two.report.validationCases).toBe(2 * one.report.validationCases)
  })

  it("rejects a bad value with a clear message", async () => {
    await expect(trainPipeline(events, catalog, { validationPeriods: 0 })).rejects.toThrow(/validationPeriods must be a positive integer/)
  })
})
