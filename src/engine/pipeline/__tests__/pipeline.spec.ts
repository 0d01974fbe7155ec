import { CatalogProduct, InterestEvent } from "../../types"
import { SeededRandom } from "../../util/random"
import { TrainedArtifacts, loadArtifacts, previousSegmentsOf, recommend, trainPipeline } from ".."

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
    expect(artifacts.ranker.category.model.trees.length).toBeGreaterThan(0)
    expect(artifacts.ranker.product.model.trees.length).toBeGreaterThan(0)
  })

  it("trains the ranker on every earlier cut-off of every customer", () => {
    // Five weekly periods, every fan active in each: four cut-offs have an input (the first week has none).
    expect(artifacts.report.cutoffs).toBe(4)
    expect(artifacts.report.trainingCustomers).toBe(36)
    expect(artifacts.report.queries).toBe(4 * 36)
    const fit = artifacts.report.rankers.model?.category
    expect(fit?.train.queries).toBe(3 * 36)
    // Customers stay in their group's categories: the ranker finds a relevant category at the top.
    expect(fit?.validation).toBeGreaterThan(0.6)
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

  it("lists in recently_viewed only what the shopper viewed, newest first, and tops up the other placements", () => {
    expect(recommend(artifacts, { customerId: "nobody", placement: "recently_viewed", limit: 8 }).items).toEqual([])
    const recentEvents: InterestEvent[] = [
      { customerId: "nobody", productId: "rugs-5", type: "view", timestamp: T0 + 40 * DAY },
      { customerId: "nobody", productId: "lamps-2", type: "view", timestamp: T0 + 41 * DAY },
    ]
    const fresh = recommend(artifacts, { customerId: "nobody", placement: "recently_viewed", limit: 8, recentEvents })
    expect(fresh.items.map((i) => [i.productId, i.reasonCode])).toEqual([
      ["lamps-2", "recently_viewed"],
      ["rugs-5", "recently_viewed"],
    ])
    // A known customer: their own products only, however large the limit.
    const own = new Set(events.filter((e) => e.customerId === "rugs-fan-3").map((e) => e.productId))
    const fan = recommend(artifacts, { customerId: "rugs-fan-3", placement: "recently_viewed", limit: catalog.length })
    expect(fan.items.length).toBeGreaterThan(0)
    expect(fan.items.length).toBeLessThan(catalog.length)
    for (const it of fan.items) expect([it.reasonCode, own.has(it.productId)]).toEqual(["recently_viewed", true])
    // The other placements still come back full for a stranger.
    for (const placement of ["for_you", "trending", "segment"] as const) {
      expect([placement, recommend(artifacts, { customerId: "nobody", placement, limit: 8 }).items.length]).toEqual([placement, 8])
    }
  })

  it("recommends a fan's own group first, with a reason", () => {
    const res = recommend(artifacts, { customerId: "vases-fan-2", placement: "for_you", limit: 5 })
    expect(res.items).toHaveLength(5)
    expect(res.items.filter((i) => i.productId.startsWith("vases")).length).toBeGreaterThanOrEqual(4)
    for (const it of res.items) expect(it.reason.length).toBeGreaterThan(5)
    expect(res.segment?.name).toContain("vases")
  })

  it("gives only reasons that are true of the customer", () => {
    for (const customerId of ["vases-fan-2", "lamps-fan-5", "rugs-fan-9"]) {
      const own = new Set(events.filter((e) => e.customerId === customerId).map((e) => e.productId))
      const titles = new Set(catalog.filter((p) => own.has(p.id)).map((p) => p.title as string))
      const res = recommend(artifacts, { customerId, placement: "for_you", limit: 12 })
      for (const it of res.items) {
        if (it.reasonCode === "viewed_before") expect(own.has(it.productId)).toBe(true)
        if (it.reasonCode === "viewed_similar") expect(titles.has(it.reason.replace("because you viewed ", ""))).toBe(true)
        if (it.reasonCode === "segment") expect(it.reason).toBe(`popular in your segment ${res.segment?.name}`)
      }
      // A warm fan's list is explained by their own behaviour or their segment, not by "trending" alone.
      expect(res.items.filter((it) => it.reasonCode !== "trending").length).toBeGreaterThanOrEqual(6)
    }
  })

  it("serves a shopper with three views what is trending while no cold customer showed that more helps", () => {
    // Every fan has a long history here: there is no evidence on cold customers, so popularity ranks them.
    expect(artifacts.ranker.product.cold).toBe("popularity")
    const recentEvents: InterestEvent[] = [0, 1, 2].map((i) => ({ customerId: "visitor-1", productId: `lamps-${i}`, type: "view", timestamp: T0 + 40 * DAY + i * 1000 }))
    const res = recommend(artifacts, { customerId: "visitor-1", recentEvents, placement: "for_you", limit: 4 })
    expect(res.cold).toBe(true)
    const trending = recommend(artifacts, { placement: "trending", limit: 4 })
    expect(res.items.map((i) => i.productId)).toEqual(trending.items.map((i) => i.productId))
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

describe("the ranker in the artifacts", () => {
  const { catalog, events } = shop()

  it("ranks a fan's own group first after loading, at category and product level", async () => {
    const artifacts = await trainPipeline(events, catalog, { period: "week", sequence: { enabled: false }, seed: 3 })
    // The recent events keep their type (open carts are a feature).
    expect(artifacts.customers.states[0].recent[0]).toHaveLength(5)
    const loaded = loadArtifacts(JSON.parse(JSON.stringify(artifacts)) as TrainedArtifacts)
    const { computeSignals } = await import("../../ranking/signals")
    const { categoryRows, featureContext } = await import("../../ranking/features")
    const { levelScores } = await import("../../ranking/interest-ranker")
    const c = loaded.stage.customerIndex.get("lamps-fan-0") as number
    const state = loaded.stage.customers[c]
    const rows = categoryRows(featureContext(loaded.stage, state, computeSignals(loaded.stage, state, c)))
    const scores = levelScores(loaded.artifacts.ranker.category, "category", rows, false)
    const best = rows.candidates[scores.indexOf(Math.max(...scores))]
    expect(loaded.stage.categoryIds[best]).toBe("lamps")
  })

  it("refuses artifacts of another format with a clear message", async () => {
    const artifacts = await trainPipeline(events, catalog, { period: "week", sequence: { enabled: false }, seed: 3 })
    const old = { ...artifacts, format: "medusa-interest-artifacts/1" } as unknown as TrainedArtifacts
    expect(() => loadArtifacts(old)).toThrow("Unknown artifacts format: medusa-interest-artifacts/1.")
  })
})

describe("cold start, where cold customers show what helps them", () => {
  // The fans, plus newcomers who view two of their group's favourites in each of the last two weeks.
  const { catalog, events } = shop()
  const rng = new SeededRandom(9)
  GROUPS.forEach((g) => {
    for (let c = 0; c < 20; c++) {
      for (const week of [3, 4]) {
        for (let e = 0; e < 2; e++) {
          events.push({ customerId: `${g}-new-${c}`, productId: `${g}-${rng.int(4)}`, type: "view", timestamp: T0 + week * 7 * DAY + e * 60000 + c * 1000 })
        }
      }
    }
  })

  it("lets the ranker re-rank for a shopper who just viewed three lamps", async () => {
    const artifacts = await trainPipeline(events, catalog, { period: "week", sequence: { enabled: false }, seed: 3 })
    const fit = artifacts.report.rankers.model?.product
    expect(fit?.cold.rule).toBe("ranker")
    expect(fit?.cold.ndcg.ranker).toBeGreaterThan(fit?.cold.ndcg.popularity ?? 1)
    const now = T0 + 40 * DAY
    const recentEvents: InterestEvent[] = [0, 1, 2].map((i) => ({ customerId: "visitor-1", productId: `lamps-${i}`, type: "view", timestamp: now + i * 1000 }))
    const res = recommend(artifacts, { customerId: "visitor-1", recentEvents, placement: "for_you", limit: 4, exclude: ["lamps-0", "lamps-1", "lamps-2"] })
    expect(res.cold).toBe(true)
    expect(res.items.map((i) => i.productId).every((id) => id.startsWith("lamps-"))).toBe(true)
    expect(res.items.map((i) => i.productId)).not.toContain("lamps-0")
  })
})

describe("ranker.cutoffs", () => {
  const { catalog, events } = shop()

  it("learns from as many cut-offs as asked", async () => {
    const two = await trainPipeline(events, catalog, { period: "week", sequence: { enabled: false }, seed: 3, ranker: { cutoffs: 2 } })
    expect(two.report.cutoffs).toBe(2)
    expect(two.report.queries).toBe(2 * 36)
  })

  it("rejects a bad value with a clear message", async () => {
    await expect(trainPipeline(events, catalog, { ranker: { cutoffs: 0 } })).rejects.toThrow(/ranker.cutoffs must be a positive integer/)
  })
})

describe("a shop with almost no returning customers", () => {
  const catalog: CatalogProduct[] = GROUPS.flatMap((g) => Array.from({ length: 4 }, (_, i) => ({ id: `${g}-${i}`, categoryIds: [g] })))
  const firstVisits = (n: number): InterestEvent[] =>
    Array.from({ length: n }, (_, c) => ({
      customerId: `once-${c}`,
      productId: `${GROUPS[c % 3]}-${c % 4}`,
      type: "view" as const,
      timestamp: T0 + c * 3600000,
    }))

  it("trains on its first day: everyone gets popularity, with the reason", async () => {
    const artifacts = await trainPipeline(firstVisits(20), catalog, { period: "week", seed: 3 })
    expect(artifacts.report.cutoffs).toBe(0)
    expect(artifacts.ranker.product.model.trees).toHaveLength(0)
    expect(artifacts.ranker.product.cold).toBe("popularity")
    const forYou = recommend(artifacts, { customerId: "once-4", placement: "for_you", limit: 5 })
    const trending = recommend(artifacts, { placement: "trending", limit: 5 })
    expect(forYou.items.map((i) => i.productId)).toEqual(trending.items.map((i) => i.productId))
    expect(new Set(forYou.items.map((i) => i.reason))).toEqual(new Set(["trending now"]))
  })

  it("trains with three returning customers (too few to stop early on)", async () => {
    const back: InterestEvent[] = [0, 1, 2].map((c) => ({
      customerId: `once-${c}`,
      productId: `${GROUPS[c % 3]}-${(c + 1) % 4}`,
      type: "view",
      timestamp: T0 + 8 * DAY + c * 3600000,
    }))
    const artifacts = await trainPipeline(firstVisits(20).concat(back), catalog, { period: "week", seed: 3 })
    expect(artifacts.report.cutoffs).toBe(1)
    const rec = recommend(artifacts, { customerId: "once-1", placement: "for_you", limit: 3 })
    expect(rec.items).toHaveLength(3)
  })
})
