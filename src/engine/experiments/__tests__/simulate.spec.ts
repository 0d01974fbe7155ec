import { simulateExperiment, simulationRates } from "../simulate"

/**
 * The small version of `npm run bench:experiments` (200 runs): 40 A/A runs and
 * 40 runs with a true uplift of 20%. With honest 95% intervals about 2 of 40
 * A/A runs exclude 0 (7 or more has probability under 1%), and about 38 of 40
 * cover the truth (32 or fewer has probability under 0.1%).
 */
describe("experiment statistics under simulation", () => {
  it("keeps the A/A false positive rate near 5% and covers a known uplift", () => {
    const r = simulationRates(40, 0.2, { visitors: 4000 })
    expect(r.false_positive_rate).toBeLessThanOrEqual(6 / 40)
    expect(r.coverage).toBeGreaterThanOrEqual(33 / 40)
  })

  it("detects a large uplift (intervals are not uselessly wide)", () => {
    let detected = 0
    for (let seed = 1; seed <= 10; seed++) {
      const ab = simulateExperiment({ seed, visitors: 8000, trueUplift: 0.6 }).summary.arms.find((a) => a.name === "model")
      const conversion = ab?.vs_control?.conversion
      if (conversion?.significant && (conversion.uplift?.estimate ?? 0) > 0) detected++
    }
    expect(detected).toBeGreaterThanOrEqual(8)
  })

  it("splits the simulated shoppers by the shares and sees several lists per shopper", () => {
    const sim = simulateExperiment({ seed: 7, visitors: 4000, modelShare: 0.3 })
    const model = sim.summary.arms.find((a) => a.name === "model")
    expect(Math.abs((model?.shoppers ?? 0) / 4000 - 0.3)).toBeLessThan(0.03)
    expect(sim.impressions / 4000).toBeGreaterThan(2)
    expect(sim.summary.srm.mismatch).toBe(false)
  })
})
