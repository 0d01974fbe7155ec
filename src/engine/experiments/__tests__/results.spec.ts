import { dailySeries, MIN_CONVERTING_SHOPPERS, summariseExperiment, ShopperOutcome } from "../results"

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

  it("judges an arm only once it and the control have enough converting shoppers", () => {
    // 3 of 40 control shoppers against 29 of 40 model shoppers: a huge difference, on too few orders.
    const arm = (name: string, converting: number, n: number): ShopperOutcome[] =>
      Array.from({ length: n }, (_, i) => ({ arm: name, exposedAt: T0, orders: i < converting ? [{ at: T0 + 1, revenue: 50 }] : [] }))
    const few = summariseExperiment(arms, "control", [...arm("control", 3, 40), ...arm("model", 29, 40)])
    const model = few.arms.find((a) => a.name === "model")
    expect(few.min_converting_shoppers).toBe(MIN_CONVERTING_SHOPPERS)
    expect(model).toMatchObject({ converting_shoppers: 29, judged: false })
    expect(model?.vs_control?.conversion.uplift?.low).toBeGreaterThan(0)
    expect(model?.vs_control?.conversion.significant).toBe(false)
    expect(model?.vs_control?.revenue_per_shopper.significant).toBe(false)
    expect(few.arms.find((a) => a.name === "control")).toMatchObject({ converting_shoppers: 3, judged: null })
    // The same difference with 30 converting shoppers each is judged, and significant.
    const many = summariseExperiment(arms, "control", [...arm("control", 30, 400), ...arm("model", 90, 400)])
    const judged = many.arms.find((a) => a.name === "model")
    expect(judged?.judged).toBe(true)
    expect(judged?.vs_control?.conversion.significant).toBe(true)
    // One converting shopper short in the control: not judged.
    const short = summariseExperiment(arms, "control", [...arm("control", 29, 400), ...arm("model", 90, 400)])
    expect(short.arms.find((a) => a.name === "model")?.judged).toBe(false)
    expect(dailySeries(arms, "control", [...arm("control", 29, 400), ...arm("model", 90, 400)], T0, T0 + DAY)[0].uplift[0].judged).toBe(false)
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
