import { recencyFeatures, SESSION_GAP_MS } from "../recency-features"
import { RecentItem } from "../../core/stage"

const H = 3600 * 1000
const VIEW = 0
const CART = 1
const PURCHASE = 3

function item(product: number, hoursAgo: number, type = VIEW, weight = 1): RecentItem {
  return { product, weight, period: 0, time: 100 * H - hoursAgo * H, type }
}

describe("recencyFeatures", () => {
  // Products 0..2; product 0 in category 10, 1 in 11, 2 in both.
  const cats = [[10], [11], [10, 11]]

  it("decays items by hours before the customer's own last event", () => {
    // Product 0 touched 2 h before the last event (product 1, now); half-life 2 h.
    const f = recencyFeatures([item(0, 2), item(1, 0)], cats, 2 * H)
    expect(f.sessionItems.get(1)).toBeCloseTo(1)
    expect(f.sessionItems.get(0)).toBeCloseTo(0.5)
    // Categories: an item's weight split evenly over its categories.
    expect(f.sessionCategories.get(10)).toBeCloseTo(0.5)
    expect(f.sessionCategories.get(11)).toBeCloseTo(1)
  })

  it("counts the distinct sessions an item and a category were touched in", () => {
    // Session 1: products 0, 0, 2 (10 minutes apart); a gap of 5 hours; session 2: product 0.
    const recent = [item(0, 5.4), item(0, 5.25), item(2, 5.1), item(0, 0)]
    expect(5.1 * H - 0 > SESSION_GAP_MS).toBe(true)
    const f = recencyFeatures(recent, cats, H)
    expect(f.itemVisits.get(0)).toBe(2)
    expect(f.itemVisits.get(2)).toBe(1)
    expect(f.categoryVisits.get(10)).toBe(2)
    expect(f.categoryVisits.get(11)).toBe(1)
  })

  it("keeps carted items open until they are bought", () => {
    const f = recencyFeatures([item(0, 3, CART), item(1, 2, CART), item(1, 1, PURCHASE), item(2, 0)], cats, 3 * H)
    expect([...f.openIntent.keys()]).toEqual([0])
    expect(f.openIntent.get(0)).toBeCloseTo(0.5)
  })

  it("returns empty features for a customer without events", () => {
    const f = recencyFeatures([], cats, H)
    expect(f.sessionItems.size + f.itemVisits.size + f.openIntent.size + f.categoryVisits.size).toBe(0)
  })
})
