import { chiSquareSurvival, logGamma, srmTest } from "../srm"

describe("sample-ratio mismatch", () => {
  it("computes chi-square tail probabilities (table values)", () => {
    expect(chiSquareSurvival(3.841459, 1)).toBeCloseTo(0.05, 5)
    expect(chiSquareSurvival(5.991465, 2)).toBeCloseTo(0.05, 5)
    expect(chiSquareSurvival(10.827566, 1)).toBeCloseTo(0.001, 6)
    expect(chiSquareSurvival(1, 1)).toBeCloseTo(0.3173105, 6)
    expect(chiSquareSurvival(30, 10)).toBeCloseTo(0.000857, 5)
    expect(chiSquareSurvival(0, 3)).toBe(1)
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 10)
  })

  it("accepts a split that follows the shares", () => {
    const r = srmTest([5050, 4950], [0.5, 0.5])
    expect(r.chi2).toBeCloseTo(1, 10)
    expect(r.p_value).toBeCloseTo(0.3173105, 6)
    expect(r.mismatch).toBe(false)
    expect(r.observed_shares).toEqual([0.505, 0.495])
  })

  it("warns when the split is off the shares", () => {
    // chi2 = 2 * 200^2 / 5000 = 16, p = 6.3e-5
    const r = srmTest([5200, 4800], [0.5, 0.5])
    expect(r.chi2).toBeCloseTo(16, 10)
    expect(r.p_value).toBeCloseTo(6.33e-5, 6)
    expect(r.mismatch).toBe(true)
    // The same counts are fine for a 52/48 experiment.
    expect(srmTest([5200, 4800], [0.52, 0.48]).mismatch).toBe(false)
  })

  it("reports no mismatch without shoppers, and refuses a single arm", () => {
    expect(srmTest([0, 0], [0.5, 0.5])).toMatchObject({ p_value: 1, mismatch: false })
    expect(() => srmTest([10], [1])).toThrow("two arms")
  })
})
