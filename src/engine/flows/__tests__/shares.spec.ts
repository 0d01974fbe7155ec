import { ActivePeriod } from "../periods"
import { interestShares } from "../shares"

const period = (p: number, entries: [number, number][]): ActivePeriod => ({ period: p, vector: new Map(entries) })

describe("interestShares", () => {
  it("averages the active customers' distributions, each customer with the same say", () => {
    // u1 sends 100 times the weight of u2: still one customer of two.
    const r = interestShares([[period(10, [[0, 100]])], [period(10, [[0, 1], [1, 3]])]], { first: 10, last: 10 })
    expect(r.periods).toEqual([10])
    expect(r.customers).toEqual([2])
    expect(r.categories.map((c) => [c.category, c.shares[0]])).toEqual([
      [0, (1 + 0.25) / 2],
      [1, 0.75 / 2],
    ])
    expect(r.other).toEqual([0])
  })

  it("sums to 1 in every period with customers, the rest of the categories in `other`", () => {
    // 40 customers over 12 periods and 15 categories, varied by a fixed formula.
    const sequences: ActivePeriod[][] = Array.from({ length: 40 }, (_, u) =>
      Array.from({ length: 12 }, (_, t) => t)
        .filter((t) => (u + t) % 3 !== 0)
        .map((t) => period(t, [[(u * 7 + t) % 15, 1 + (u % 4)], [(u + 3 * t) % 15, 2], [(u * t) % 15, 0.5]]))
    )
    const r = interestShares(sequences, { first: 0, last: 11 }, { top: 5 })
    expect(r.categories).toHaveLength(5)
    r.periods.forEach((_, t) => {
      expect(r.customers[t]).toBeGreaterThan(0)
      expect(r.categories.reduce((s, c) => s + c.shares[t], 0) + r.other[t]).toBeCloseTo(1, 12)
      expect(r.other[t]).toBeGreaterThan(0)
    })
    // Reported categories by decreasing mean share.
    const means = r.categories.map((c) => c.mean)
    expect([...means].sort((a, b) => b - a)).toEqual(means)
  })

  it("keeps every period of the window, those without customers at 0, and ignores periods outside it", () => {
    const r = interestShares([[period(1, [[0, 1]]), period(3, [[1, 1]]), period(9, [[2, 1]])]], { first: 1, last: 4 })
    expect(r.periods).toEqual([1, 2, 3, 4])
    expect(r.customers).toEqual([1, 0, 1, 0])
    expect(r.categories.map((c) => c.category)).toEqual([0, 1])
    expect(r.categories[0].shares).toEqual([1, 0, 0, 0])
    expect(r.other).toEqual([0, 0, 0, 0])
  })

  it("marks categories rising and falling between the halves of the window", () => {
    // Per period two customers: one moving from category 0 to 1 (weights summing to 10), one always on 2.
    const sequences: ActivePeriod[][] = Array.from({ length: 6 }, (_, t) => [
      [period(t, [[0, 9 - t * 1.6], [1, 1 + t * 1.6]])],
      [period(t, [[2, 1]])],
    ]).flat()
    const r = interestShares(sequences, { first: 0, last: 5 })
    const byCategory = new Map(r.categories.map((c) => [c.category, c]))
    expect(byCategory.get(0)?.trend).toBe("falling")
    expect(byCategory.get(1)?.trend).toBe("rising")
    expect(byCategory.get(2)?.trend).toBe("steady")
    expect(byCategory.get(2)?.change).toBeCloseTo(0, 12)
    expect(byCategory.get(1)?.change).toBeCloseTo(-(byCategory.get(0)?.change as number), 12)
    // The same change under a stricter rule is not a trend.
    const strict = interestShares(sequences, { first: 0, last: 5 }, { trendMinChange: 0.5 })
    expect(strict.categories.every((c) => c.trend === "steady")).toBe(true)
  })

  it("rejects a reversed window and bad options", () => {
    expect(() => interestShares([], { first: 3, last: 2 })).toThrow("before its first")
    expect(() => interestShares([], { first: 0, last: 2 }, { top: 0 })).toThrow("top must be a positive integer")
    expect(() => interestShares([], { first: 0, last: 2 }, { trendMinChange: -1 })).toThrow("trendMinChange")
  })
})
