import { compareArms, estimateMean, excludesZero, meanInterval, Z95 } from "../statistics"

describe("experiment statistics", () => {
  it("estimates a mean and sample variance", () => {
    expect(estimateMean([1, 2, 3, 4])).toEqual({ n: 4, mean: 2.5, variance: 5 / 3 })
    expect(estimateMean([])).toEqual({ n: 0, mean: 0, variance: 0 })
    const ci = meanInterval({ n: 100, mean: 0.1, variance: 0.09 })
    expect(ci.se).toBeCloseTo(0.03, 12)
    expect(ci.low).toBeCloseTo(0.1 - Z95 * 0.03, 12)
  })

  it("gives the difference and the delta-method uplift (hand-checked)", () => {
    const control = { n: 100, mean: 0.1, variance: 0.09 }
    const arm = { n: 100, mean: 0.2, variance: 0.16 }
    const c = compareArms(control, arm)
    // se(d) = sqrt(0.16/100 + 0.09/100) = 0.05
    expect(c.difference.estimate).toBeCloseTo(0.1, 12)
    expect(c.difference.se).toBeCloseTo(0.05, 12)
    // r = 0.2/0.1 - 1 = 1; se(r) = sqrt(0.0016/0.01 + 0.04 * 0.0009 / 0.0001) = sqrt(0.52)
    expect(c.uplift?.estimate).toBeCloseTo(1, 12)
    expect(c.uplift?.se).toBeCloseTo(Math.sqrt(0.52), 12)
    expect(c.uplift?.high).toBeCloseTo(1 + Z95 * Math.sqrt(0.52), 12)
    expect(excludesZero(c.difference)).toBe(true)
    // 1 - 1.96 * 0.72 < 0: the ratio's interval also carries the control's noise.
    expect(excludesZero(c.uplift as NonNullable<typeof c.uplift>)).toBe(false)
  })

  it("has no relative uplift while the control mean is 0", () => {
    const c = compareArms({ n: 50, mean: 0, variance: 0 }, { n: 50, mean: 0.1, variance: 0.09 })
    expect(c.uplift).toBeNull()
    expect(c.difference.estimate).toBeCloseTo(0.1, 12)
  })
})
