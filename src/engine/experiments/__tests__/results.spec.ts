import { dailySeries, summariseExperiment, ShopperOutcome } from "../results"

const DAY = 86_400_000
const T0 = Date.UTC(2025, 0, 1)
const arms = [
  { name: "model", share: 0.5 },
  { name: "control", share: 0.5 },
]

describe("experiment results", () => {
  const shoppers: ShopperOutcome[] = [
    // An order before exposure is not the placement's doing.
    { arm: "control", exposedAt: T0 + 10, orders: [{ at: T0, revenue: 100 }] },
    { arm: "control", exposedAt: T0 + 10, orders: [{ at: T0 + 20, revenue: 30 }] },
    { arm: "model", exposedAt: T0 + 10, orders: [{ at: T0 + 20, revenue: 40 }, { at: T0 + DAY + 5, revenue: 20 }] },
    { arm: "model", exposedAt: T0 + DAY + 1, orders: [] },
    // Not an arm of the experiment (any more): left out, not moved.
    { arm: "old", exposedAt: T0, orders: [{ at: T0 + 1, revenue: 1 }] },
  ]

  it("counts each shopper's orders after their exposure, per arm", () => {
    const s = summariseExperiment(arms, "control", shoppers)
    const model = s.arms.find((a) => a.name === "model")
    const control = s.arms.find((a) => a.name === "control")
    expect(control).toMatchObject({ shoppers: 2, orders: 1, revenue: 30, vs_control: null })
    expect(control?.metrics.conversion.estimate).toBe(0.5)
    expect(model).toMatchObject({ shoppers: 2, orders: 2, revenue: 60 })
    expect(model?.metrics.revenue_per_shopper.estimate).toBe(30)
    expect(model?.metrics.orders_per_shopper.estimate).toBe(1)
    // Revenue per shopper: 30 vs 15.
    expect(model?.vs_control?.revenue_per_shopper.uplift?.estimate).toBeCloseTo(1, 12)
    expect(model?.vs_control?.conversion.difference.estimate).toBe(0)
    expect(s.srm.observed_shares).toEqual([0.5, 0.5])
  })

  it("leaves out what happened after `until`", () => {
    const s = summariseExperiment(arms, "control", shoppers, T0 + DAY)
    expect(s.arms.find((a) => a.name === "model")).toMatchObject({ shoppers: 1, orders: 1, revenue: 40 })
  })

  it("refuses a control that is not an arm", () => {
    expect(() => summariseExperiment(arms, "nope", shoppers)).toThrow("not one of the arms")
  })

  it("accumulates by day", () => {
    const days = dailySeries(arms, "control", shoppers, T0, T0 + 2 * DAY)
    expect(days.map((d) => d.day)).toEqual(["2025-01-01", "2025-01-02"])
    expect(days[0].arms.find((a) => a.name === "model")).toMatchObject({ shoppers: 1, revenue_per_shopper: 40 })
    expect(days[1].arms.find((a) => a.name === "model")).toMatchObject({ shoppers: 2, revenue_per_shopper: 30 })
    expect(days[1].uplift[0].name).toBe("model")
    expect(days[1].uplift[0].revenue_per_shopper?.estimate).toBeCloseTo(1, 12)
  })
})
