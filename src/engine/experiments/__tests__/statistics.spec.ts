import { SeededRandom } from "../../util/random"
import { compareArms, estimateMean, excludesZero, meanInterval, proportionInterval, Z95 } from "../statistics"

describe("experiment statistics", () => {
  it("estimates a mean and sample variance", () => {
    expect(estimateMean([1, 2, 3, 4])).toEqual({ n: 4, mean: 2.5, variance: 5 / 3 })
    expect(estimateMean([])).toEqual({ n: 0, mean: 0, variance: 0 })
    const ci = meanInterval({ n: 100, mean: 0.1, variance: 0.09 })
    expect(ci.se).toBeCloseTo(0.03, 12)
    expect(ci.low).toBeCloseTo(0.1 - Z95 * 0.03, 12)
  })

  it("clips a mean's interval at 0: the mean of non-negative values cannot be negative", () => {
    // Revenue per shopper with one buyer of 100 among 10 shoppers: 10 ± 1.96 * 10 would reach -9.6.
    const ci = meanInterval(estimateMean([100, 0, 0, 0, 0, 0, 0, 0, 0, 0]))
    expect(ci.estimate).toBe(10)
    expect(ci.low).toBe(0)
    expect(ci.high).toBeCloseTo(10 + Z95 * 10, 12)
  })

  it("gives a proportion its Wilson interval (hand-checked), within [0, 1]", () => {
    // 1 of 3: centre (1/3 + 1.92/3) / (1 + 3.84/3), half-width 1.96 sqrt(2/27 + 3.84/36) / (1 + 3.84/3).
    const ci = proportionInterval(estimateMean([1, 0, 0]))
    const z2 = Z95 * Z95
    const denom = 1 + z2 / 3
    expect(ci.estimate).toBeCloseTo(1 / 3, 12)
    expect(ci.low).toBeCloseTo((1 / 3 + z2 / 6 - Z95 * Math.sqrt(2 / 27 + z2 / 36)) / denom, 12)
    expect(ci.high).toBeCloseTo((1 / 3 + z2 / 6 + Z95 * Math.sqrt(2 / 27 + z2 / 36)) / denom, 12)
    expect(ci.low).toBeGreaterThan(0)
    // None or all converted: the interval still has width, and stays inside [0, 1].
    expect(proportionInterval(estimateMean([0, 0, 0, 0]))).toMatchObject({ low: 0 })
    expect(proportionInterval(estimateMean([0, 0, 0, 0])).high).toBeGreaterThan(0.4)
    expect(proportionInterval(estimateMean([1, 1])).high).toBe(1)
    expect(proportionInterval(estimateMean([]))).toEqual({ estimate: 0, se: 0, low: 0, high: 1 })
  })

  it("gives the difference and the log-scale uplift (hand-checked)", () => {
    const control = { n: 100, mean: 0.1, variance: 0.09 }
    const arm = { n: 100, mean: 0.2, variance: 0.16 }
    const c = compareArms(control, arm)
    // se(d) = sqrt(0.16/100 + 0.09/100) = 0.05
    expect(c.difference.estimate).toBeCloseTo(0.1, 12)
    expect(c.difference.se).toBeCloseTo(0.05, 12)
    // L = ln 2; se(L) = sqrt(0.0016/0.04 + 0.0009/0.01) = sqrt(0.13)
    const seL = Math.sqrt(0.13)
    expect(c.uplift?.estimate).toBeCloseTo(1, 12)
    expect(c.uplift?.se).toBeCloseTo(2 * seL, 12)
    expect(c.uplift?.low).toBeCloseTo(2 * Math.exp(-Z95 * seL) - 1, 12)
    expect(c.uplift?.high).toBeCloseTo(2 * Math.exp(Z95 * seL) - 1, 12)
    expect(excludesZero(c.difference)).toBe(true)
    // 2 e^{-1.96 * 0.36} = 0.99 < 1: the ratio's interval also carries the control's noise.
    expect(excludesZero(c.uplift as NonNullable<typeof c.uplift>)).toBe(false)
  })

  it("never puts an uplift interval below -100%, whatever the counts", () => {
    const rng = new SeededRandom(11)
    for (let run = 0; run < 2000; run++) {
      const sample = (n: number, p: number): number[] => Array.from({ length: n }, () => (rng.next() < p ? 1 + Math.floor(rng.next() * 200) : 0))
      const control = estimateMean(sample(1 + Math.floor(rng.next() * 20), rng.next()))
      const arm = estimateMean(sample(1 + Math.floor(rng.next() * 20), rng.next()))
      const c = compareArms(control, arm)
      if (!c.uplift) continue
      expect(c.uplift.low).toBeGreaterThan(-1)
      expect(c.uplift.low).toBeLessThanOrEqual(c.uplift.estimate)
      expect(c.uplift.high).toBeGreaterThanOrEqual(c.uplift.estimate)
    }
    // The case the page once showed as "-69.8% [-138%, -1.6%]": 1 order of 40 against 3 of 36 (conversion).
    const one = estimateMean([1, ...Array(39).fill(0)])
    const three = estimateMean([1, 1, 1, ...Array(33).fill(0)])
    const c = compareArms(three, one)
    expect(c.uplift?.estimate).toBeCloseTo(1 / 40 / (3 / 36) - 1, 12)
    expect(c.uplift?.low).toBeGreaterThan(-1)
    expect(c.uplift?.high).toBeGreaterThan(0)
  })

  it("has no relative uplift while either mean is 0", () => {
    const c = compareArms({ n: 50, mean: 0, variance: 0 }, { n: 50, mean: 0.1, variance: 0.09 })
    expect(c.uplift).toBeNull()
    expect(c.difference.estimate).toBeCloseTo(0.1, 12)
    expect(compareArms({ n: 50, mean: 0.1, variance: 0.09 }, { n: 50, mean: 0, variance: 0 }).uplift).toBeNull()
  })
})
