import { buildDataset } from "../../data/dataset"
import { computeEventPeriods } from "../../profiles/period-profiles"
import { InterestEvent } from "../../types"
import { SeededRandom } from "../../util/random"
import { hasTarget, relativeCutoffs } from "../cutoffs"
import { resolveEngineOptions } from "../../core/options"
import { fitStage } from "../../core/stage"

const DAY = 86400000
const T0 = Date.UTC(2024, 0, 1)

/** Customers with 1-6 active days at random offsets, several events a day, in random order. */
function events(): InterestEvent[] {
  const rng = new SeededRandom(4)
  const out: InterestEvent[] = []
  for (let c = 0; c < 30; c++) {
    const days = 1 + rng.int(6)
    let day = rng.int(4)
    for (let d = 0; d < days; d++) {
      for (let e = 0; e <= rng.int(3); e++) {
        out.push({ customerId: `c${c}`, productId: `p${rng.int(12)}`, type: "view", timestamp: T0 + day * DAY + e * 3600000 + rng.int(1000) })
      }
      day += 1 + rng.int(2)
    }
  }
  return rng.shuffle(out)
}

describe("relativeCutoffs", () => {
  const ds = buildDataset(events(), [])
  const periods = computeEventPeriods(ds, "day")
  const ends = ds.customerOffsets.slice(1)
  const cuts = relativeCutoffs(ds, periods, ends, 10)

  it("never lets a target period's events into its own input, nor into the stage fitted on the input", () => {
    const o = resolveEngineOptions({ period: "day" })
    for (const cut of cuts) {
      const stage = fitStage(ds, periods, cut.inputEnd, o)
      for (let c = 0; c < ds.customerIds.length; c++) {
        if (!hasTarget(cut, c)) continue
        const start = ds.customerOffsets[c]
        const targetPeriod = periods[cut.inputEnd[c]]
        // The target is one whole period: it starts where the input ends and holds nothing else.
        for (let i = cut.inputEnd[c]; i < cut.targetEnd[c]; i++) expect(periods[i]).toBe(targetPeriod)
        for (let i = start; i < cut.inputEnd[c]; i++) expect(periods[i]).toBeLessThan(targetPeriod)
        const state = stage.customers[c]
        expect(state.events).toBe(cut.inputEnd[c] - start)
        for (const r of state.recent) expect(r.period).toBeLessThan(targetPeriod)
        for (const p of state.periods) expect(p.period).toBeLessThan(targetPeriod)
      }
    }
  })

  it("makes every active period but a customer's first the target of exactly one cut-off", () => {
    for (let c = 0; c < ds.customerIds.length; c++) {
      const active = new Set<number>()
      for (let i = ds.customerOffsets[c]; i < ends[c]; i++) active.add(periods[i])
      const targets = cuts.filter((cut) => hasTarget(cut, c)).map((cut) => periods[cut.inputEnd[c]])
      expect(new Set(targets).size).toBe(targets.length)
      const sorted = [...active].sort((a, b) => a - b)
      // The first period is a target only at a cut-off other customers still have inputs for.
      expect(targets.sort((a, b) => a - b)).toEqual(sorted.slice(sorted.length - targets.length))
      expect(targets.length).toBeGreaterThanOrEqual(Math.min(sorted.length - 1, cuts.length))
    }
  })

  it("stops at the requested number of cut-offs", () => {
    expect(cuts.length).toBeGreaterThan(2)
    expect(relativeCutoffs(ds, periods, ends, 2)).toHaveLength(2)
  })
})
