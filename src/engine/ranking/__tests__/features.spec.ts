import { buildDataset } from "../../data/dataset"
import { computeEventPeriods } from "../../profiles/period-profiles"
import { resolveEngineOptions } from "../../core/options"
import { fitStage } from "../../core/stage"
import { InterestEvent } from "../../types"
import { CATEGORY_FEATURES, PRODUCT_FEATURES, categoryRows, featureContext, productCandidates, productRows } from "../features"
import { computeSignals } from "../signals"

const HOUR = 3600000
const T0 = Date.UTC(2024, 0, 1)

/** "me": views a1 twice around a cart of b1 (not bought); others make "c" popular. */
function stage() {
  const events: InterestEvent[] = [
    { customerId: "me", productId: "a1", type: "view", timestamp: T0 },
    { customerId: "me", productId: "b1", type: "add_to_cart", timestamp: T0 + HOUR },
    { customerId: "me", productId: "a1", type: "view", timestamp: T0 + 3 * HOUR },
  ]
  for (let i = 0; i < 6; i++) events.push({ customerId: `o${i}`, productId: `c${i % 2}`, type: "view", timestamp: T0 + i * HOUR })
  const catalog = [
    { id: "a1", categoryIds: ["A"] },
    { id: "b1", categoryIds: ["B"] },
    { id: "c0", categoryIds: ["C"] },
    { id: "c1", categoryIds: ["C"] },
  ]
  const ds = buildDataset(events, catalog)
  const periods = computeEventPeriods(ds, "day")
  const st = fitStage(ds, periods, ds.customerOffsets.slice(1), resolveEngineOptions({ period: "day" }))
  const c = st.customerIndex.get("me") as number
  const state = st.customers[c]
  return { st, ctx: featureContext(st, state, computeSignals(st, state, c)) }
}

function value<T extends string>(names: readonly T[], rows: { candidates: Int32Array; x: Float32Array }, item: number, name: T): number {
  const j = rows.candidates.indexOf(item)
  expect(j).toBeGreaterThanOrEqual(0)
  return rows.x[j * names.length + names.indexOf(name)]
}

describe("ranker features", () => {
  const { st, ctx } = stage()
  const cat = (id: string): number => st.categoryIds.indexOf(id)
  const prod = (id: string): number => st.productIds.indexOf(id)

  it("puts each category feature in its named column", () => {
    const rows = categoryRows(ctx)
    const v = (id: string, name: (typeof CATEGORY_FEATURES)[number]): number => value(CATEGORY_FEATURES, rows, cat(id), name)
    expect(rows.x.length).toBe(rows.candidates.length * CATEGORY_FEATURES.length)
    expect(v("A", "views")).toBe(2)
    expect(v("A", "events_since_log")).toBe(0)
    expect(v("B", "events_since_log")).toBeCloseTo(Math.log1p(1), 6)
    expect(v("B", "carts")).toBe(1)
    expect(v("B", "open_intent")).toBeGreaterThan(0)
    expect(v("A", "open_intent")).toBe(0)
    expect(v("A", "hours_since_log")).toBe(0)
    expect(v("B", "hours_since_log")).toBeCloseTo(Math.log1p(2), 5)
    expect(v("A", "distinct_products")).toBe(1)
    expect(v("C", "popularity")).toBeCloseTo(st.popularityNorm.category[cat("C")], 6)
    expect(v("C", "views")).toBe(0)
    expect(v("A", "events_log")).toBeCloseTo(Math.log1p(3), 6)
    // A cart weighs more than two views: B leads the decayed profile.
    expect(v("B", "repeat")).toBe(1)
    expect(v("A", "repeat")).toBeGreaterThan(0)
    expect(v("A", "repeat")).toBeLessThan(1)
  })

  it("puts each product feature in its named column", () => {
    const rows = productRows(ctx, productCandidates(ctx))
    const v = (id: string, name: (typeof PRODUCT_FEATURES)[number]): number => value(PRODUCT_FEATURES, rows, prod(id), name)
    expect(rows.x.length).toBe(rows.candidates.length * PRODUCT_FEATURES.length)
    expect(v("a1", "own_events")).toBe(2)
    expect(v("a1", "views")).toBe(2)
    expect(v("b1", "carts")).toBe(1)
    expect(v("b1", "open_intent")).toBeGreaterThan(0)
    expect(v("b1", "events_since_log")).toBeCloseTo(Math.log1p(1), 6)
    expect(v("c0", "own_events")).toBe(0)
    expect(v("c0", "popularity")).toBeCloseTo(st.popularityNorm.product[prod("c0")], 6)
    expect(v("b1", "cat_repeat")).toBe(1)
    expect(v("c0", "cat_repeat")).toBe(0)
  })
})
