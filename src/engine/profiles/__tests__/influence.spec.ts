import { buildDataset } from "../../data/dataset"
import { computeEventPeriods } from "../period-profiles"
import { fitStage } from "../../core/stage"
import { resolveEngineOptions } from "../../core/options"
import { CatalogProduct, InterestEvent } from "../../types"
import { crowdWeights, hasPurchase } from "../influence"
import { DEFAULT_EVENT_WEIGHTS, eventWeightTable } from "../weights"

const DAY = 86400000
const T0 = Date.UTC(2024, 0, 1)
// Ids starting "v:" are anonymous visitors, as training names them.
const ev = (customerId: string, productId: string, type: InterestEvent["type"], at: number): InterestEvent => ({
  customerId,
  productId,
  type,
  timestamp: T0 + at,
  ...(customerId.startsWith("v:") ? { anonymous: true } : {}),
})
const catalog: CatalogProduct[] = ["organic", "rival", "flooded", "a", "b", "c", "d"].map((id) => ({ id, categoryIds: [`cat-${id}`] }))
const table = eventWeightTable(DEFAULT_EVENT_WEIGHTS)
const o = resolveEngineOptions({ period: "day" }).influence

describe("crowd weights", () => {
  it("caps one shopper's weight per product and period, and counts customers more than visitors", () => {
    const events = [
      ...Array.from({ length: 100 }, (_, i) => ev("v:bot", "flooded", "view", i * 1000)),
      ...Array.from({ length: 100 }, (_, i) => ev("v:bot", "flooded", "view", DAY + i * 1000)),
      ev("buyer", "organic", "view", 0),
      ev("buyer", "organic", "purchase", 1000),
      ev("v:browser", "organic", "view", 0),
      ev("account", "organic", "view", 0),
    ]
    const ds = buildDataset(events, catalog)
    const periods = computeEventPeriods(ds, "day")
    const crowd = crowdWeights(ds, periods, ds.customerOffsets.slice(1), table, o)
    const total = (customer: string, day?: number): number => {
      const c = ds.customerIndex.get(customer) as number
      let sum = 0
      for (let i = ds.customerOffsets[c]; i < ds.customerOffsets[c + 1]; i++) {
        if (day === undefined || periods[i] === periods[ds.customerOffsets[c]] + day) sum += crowd.event[i]
      }
      return sum
    }
    // Weights are relative: a browser's one view is the unit.
    const unit = total("v:browser") / DEFAULT_EVENT_WEIGHTS.view
    // 100 views a day count as one capped visitor, day by day.
    expect(total("v:bot", 0) / unit).toBeCloseTo(o.shopperCap, 12)
    expect(total("v:bot", 1) / unit).toBeCloseTo(o.shopperCap, 12)
    // Below the cap, events keep their own weights; an account or a purchase makes the shopper count more.
    expect(total("buyer") / unit).toBeCloseTo((DEFAULT_EVENT_WEIGHTS.view + DEFAULT_EVENT_WEIGHTS.purchase) * o.customerWeight, 12)
    expect(total("account") / unit).toBeCloseTo(DEFAULT_EVENT_WEIGHTS.view * o.customerWeight, 12)
    // Buyers count more than others, not more than events: the total is that of the capped events.
    const cappedTotal = 2 * o.shopperCap + 3 * DEFAULT_EVENT_WEIGHTS.view + DEFAULT_EVENT_WEIGHTS.purchase
    expect(total("v:bot") + total("buyer") + total("v:browser") + total("account")).toBeCloseTo(cappedTotal, 12)
    expect(crowd.shopper[ds.customerIndex.get("buyer") as number]).toBe(o.customerWeight)
  })

  it("lets shoppers without an order who share a source say as much as one of them", () => {
    const from = (e: InterestEvent, sourceId: string): InterestEvent => ({ ...e, sourceId })
    const events = [
      // Twenty visitor ids from one address, each carting `flooded` three times.
      ...Array.from({ length: 20 }, (_, v) => [0, 1, 2].map((j) => from(ev(`v:sybil${v}`, "flooded", "add_to_cart", v * 10 + j), "ip-1"))).flat(),
      // A buyer and a browser on that address too, and a browser on another.
      from(ev("buyer", "flooded", "purchase", 0), "ip-1"),
      from(ev("v:browser", "organic", "view", 0), "ip-1"),
      from(ev("v:other", "flooded", "view", 0), "ip-2"),
    ]
    const ds = buildDataset(events, catalog)
    const periods = computeEventPeriods(ds, "day")
    const crowd = crowdWeights(ds, periods, ds.customerOffsets.slice(1), table, o)
    const said = (pred: (customer: string) => boolean): number => {
      let sum = 0
      ds.customerIds.forEach((id, c) => {
        if (!pred(id)) return
        for (let i = ds.customerOffsets[c]; i < ds.customerOffsets[c + 1]; i++) sum += crowd.event[i]
      })
      return sum
    }
    // Weights are relative: the other address's one view is the unit.
    const unit = said((id) => id === "v:other") / DEFAULT_EVENT_WEIGHTS.view
    expect(said((id) => id.startsWith("v:sybil")) / unit).toBeCloseTo(o.shopperCap, 12)
    // In co-occurrence and Markov, the 20 ids and the browser of that address weigh one shopper together.
    const sharing = ds.customerIds.filter((id) => id.startsWith("v:sybil") || id === "v:browser")
    const weight = sharing.reduce((sum, id) => sum + crowd.shopper[ds.customerIndex.get(id) as number], 0)
    expect(weight).toBeCloseTo(1, 12)
    // A shopper with an order keeps their say; other products are untouched.
    expect(said((id) => id === "buyer") / unit).toBeCloseTo(DEFAULT_EVENT_WEIGHTS.purchase * o.customerWeight, 12)
    expect(said((id) => id === "v:browser") / unit).toBeCloseTo(DEFAULT_EVENT_WEIGHTS.view, 12)
  })

  it("judges who bought on the visible events only", () => {
    const ds = buildDataset([ev("u", "a", "view", 0), ev("u", "a", "purchase", DAY)], catalog)
    expect(hasPurchase(ds, 0, 1)).toBe(false)
    expect(hasPurchase(ds, 0, 2)).toBe(true)
  })
})

describe("a stage under a flood from one client", () => {
  // Six real shoppers: three view `organic` and `rival` in turn, three view `organic` once;
  // one script posts 500 events, alternating `flooded` with `organic` to make them neighbours.
  const organic = [0, 1, 2, 3, 4, 5].flatMap((s) =>
    s < 3
      ? [ev(`s${s}`, "organic", "view", s * 60000), ev(`s${s}`, "rival", "view", s * 60000 + 1000)]
      : [ev(`s${s}`, "organic", "view", s * 60000)]
  )
  const flood = Array.from({ length: 500 }, (_, i) => ev("v:bot", i % 2 ? "organic" : "flooded", i % 2 ? "view" : "add_to_cart", 3600000 + i * 100))
  const ds = buildDataset([...organic, ...flood], catalog)
  const periods = computeEventPeriods(ds, "day")
  const stage = fitStage(ds, periods, ds.customerOffsets.slice(1), resolveEngineOptions({ period: "day" }))
  const p = (id: string): number => ds.productIndex.get(id) as number

  it("keeps the organic leader first in popularity, popularity right now and what newcomers engage with", () => {
    expect(stage.topProducts[0]).toBe(p("organic"))
    expect(stage.popularity.product[p("flooded")]).toBeLessThan(stage.popularity.product[p("organic")])
    expect(stage.recentPopularity.product[p("flooded")]).toBeLessThan(stage.recentPopularity.product[p("organic")])
    expect(stage.newcomerProducts.get(p("flooded")) ?? 0).toBeLessThan(stage.newcomerProducts.get(p("organic")) as number)
  })

  it("gives the script one shopper's say on the pair it repeats", () => {
    // Summed raw co-occurrences would make `flooded` organic's closest neighbour
    // (250 against 3); one say per shopper leaves the three real shoppers' pair first.
    expect(stage.knn.index[p("organic")][0]).toBe(p("rival"))
    expect(stage.knn.sim[p("organic")][0]).toBeGreaterThan(stage.knn.sim[p("organic")][1])
  })
})
