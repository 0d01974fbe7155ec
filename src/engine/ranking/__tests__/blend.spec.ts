import { FitExample, exampleNdcg, fitBlend, groupMeans, meanNdcg, ownInterestTerm, pairedGain, pruneExample, trialPositions } from "../blend"
import { CustomerSignals } from "../signals"
import { Stage } from "../../pipeline/stage"
import { ndcg } from "../../evaluation/metrics"
import { SeededRandom } from "../../util/random"
import { pushTopK } from "../../util/vectors"
import { METHOD_SPECS } from "../methods"
import { rankNormalize } from "../signals"
import { fitOrder, isNested } from "../../pipeline/train-model"

/** Two candidates (items 0 and 1), k = 1: the example scores 1 when its relevant item is ranked first. */
function example(a: [number, number], b: [number, number], relevant: number, tieBreak: [number, number] = [0, 1]): FitExample {
  return {
    candidates: Int32Array.from([0, 1]),
    features: [Float64Array.from(a), Float64Array.from(b)],
    tieBreak: Float64Array.from(tieBreak),
    relevant: new Set([relevant]),
  }
}

/**
 * Signal A ranks item 0 first everywhere (right in 58 of 60 examples). Signal B
 * only speaks in 3 examples: it is right in 2 and wrong in 1. Adding B gains
 * 1/60 in mean NDCG, with a standard error of about 0.029.
 */
function noisyExamples(): FitExample[] {
  const out: FitExample[] = []
  for (let i = 0; i < 57; i++) out.push(example([0.6, 0.5], [0, 0], 0))
  out.push(example([0.6, 0.5], [0, 1], 1), example([0.6, 0.5], [0, 1], 1))
  out.push(example([0.6, 0.5], [0, 1], 0))
  return out
}

describe("rankNormalize", () => {
  it("gives the i-th best entry 1 / log2(i + 2), ties sharing a rank", () => {
    const v = rankNormalize(new Map([[7, 10], [3, 5], [4, 5], [9, 1], [2, 0]]))
    expect(v.get(7)).toBeCloseTo(1, 12)
    expect(v.get(3)).toBeCloseTo(1 / Math.log2(3), 12)
    expect(v.get(4)).toBeCloseTo(1 / Math.log2(3), 12)
    expect(v.get(9)).toBeCloseTo(1 / Math.log2(5), 12)
    expect(v.has(2)).toBe(false)
  })
})

describe("pairedGain", () => {
  it("is the mean per-example difference with its standard error", () => {
    const { gain, se } = pairedGain(Float64Array.from([0, 0, 1]), Float64Array.from([1, 0, 1]))
    expect(gain).toBeCloseTo(1 / 3, 12)
    // diffs 1, 0, 0: sample variance 1/3, se = sqrt((1/3) / 3) = 1/3
    expect(se).toBeCloseTo(1 / 3, 12)
  })
})

describe("fitBlend", () => {
  it("scores examples per customer", () => {
    const ex = noisyExamples()
    expect(meanNdcg(ex, [1, 0], 1)).toBeCloseTo(58 / 60, 12)
    expect(meanNdcg(ex, [1, 0.2], 1)).toBeCloseTo(59 / 60, 12)
    expect(Array.from(exampleNdcg(ex.slice(57), [1, 0.2], 1))).toEqual([1, 1, 0])
  })

  it("does not switch a signal on for a gain within one standard error", () => {
    const fit = fitBlend(["a", "b"], noisyExamples(), 1)
    expect(fit.weights).toEqual({ a: 1 })
    expect(fit.score).toBeCloseTo(58 / 60, 12)
  })

  it("takes any gain when the significance rule is off", () => {
    const fit = fitBlend(["a", "b"], noisyExamples(), 1, { significance: 0 })
    expect(fit.weights.b).toBeGreaterThanOrEqual(0.1)
    expect(fit.score).toBeCloseTo(59 / 60, 12)
  })

  it("a clear gain is taken under the significance rule", () => {
    // B is right in 20 of 20 examples where A is wrong; A is right elsewhere.
    const ex: FitExample[] = []
    for (let i = 0; i < 40; i++) ex.push(example([0.6, 0.5], [0, 0], 0))
    for (let i = 0; i < 20; i++) ex.push(example([0.6, 0.5], [0, 1], 1))
    const fit = fitBlend(["a", "b"], ex, 1)
    expect(fit.score).toBeCloseTo(1, 12)
    expect(fit.weights.a).toBe(1)
    expect(fit.weights.b).toBeGreaterThanOrEqual(0.1)
  })

  it("never ends below a start it was given", () => {
    const ex = noisyExamples()
    const start = { a: 1, b: 0.5 }
    const fit = fitBlend(["a", "b"], ex, 1, { significance: 5, starts: [start] })
    expect(fit.score).toBeGreaterThanOrEqual(meanNdcg(ex, [1, 0.5], 1) - 1e-12)
  })
})

describe("fit order", () => {
  it("fits every method after the methods whose signals it contains", () => {
    const spec = (n: string) => METHOD_SPECS.find((m) => m.name === n)!
    expect(isNested(spec("best_baseline"), spec("model"))).toBe(true)
    expect(isNested(spec("without_lstm"), spec("model"))).toBe(true)
    expect(isNested(spec("model"), spec("best_baseline"))).toBe(false)
    expect(isNested(spec("popularity"), spec("model"))).toBe(false)
    const order = fitOrder(METHOD_SPECS).map((m) => m.name)
    for (const outer of METHOD_SPECS) {
      for (const inner of METHOD_SPECS) {
        if (isNested(inner, outer)) expect(order.indexOf(inner.name)).toBeLessThan(order.indexOf(outer.name))
      }
    }
  })
})

describe("pruneExample", () => {
  it("keeps every candidate a signal knows and only the k most popular of the rest", () => {
    // Candidates 10..14; feature 0 = popularity, feature 1 = a signal known for 13 only.
    const ex: FitExample = {
      candidates: Int32Array.from([10, 11, 12, 13, 14]),
      features: [Float64Array.from([0.1, 0.9, 0.5, 0.2, 0.7]), Float64Array.from([0, 0, 0, 1, 0])],
      tieBreak: Float64Array.from([0.1, 0.9, 0.5, 0.2, 0.7]),
      relevant: new Set([12]),
      group: 3,
    }
    const p = pruneExample(ex, ["popularity", "signal"], 2)
    expect(Array.from(p.candidates)).toEqual([11, 13, 14])
    expect(Array.from(p.features[1])).toEqual([0, 1, 0])
    expect(p.group).toBe(3)
    // Whatever the weights, the top 2 is the same before and after pruning.
    for (const w of [[1, 0], [0.1, 1], [1, 0.3], [0, 1]]) {
      expect(exampleNdcg([p], w, 2)).toEqual(exampleNdcg([ex], w, 2))
    }
  })
})

describe("groupMeans", () => {
  it("averages the examples of one customer before the significance rule sees them", () => {
    const mk = (group: number): FitExample => ({ ...example([1, 0], [0, 0], 0), group })
    const f = groupMeans([mk(1), mk(2), mk(1)])
    expect(Array.from(f(Float64Array.from([1, 0.5, 0])))).toEqual([0.5, 0.5])
  })
})

describe("trialPositions (what a coordinate trial scans)", () => {
  const fullScan = (base: Float64Array, f: Float64Array, g: number, k: number, positions?: Int32Array): number[] => {
    const idx: number[] = []
    const val: number[] = []
    const order = positions ?? Int32Array.from(base, (_, j) => j)
    for (const j of order) pushTopK(idx, val, k, j, base[j] + g * f[j])
    return idx
  }

  it("gives every grid value up to gMax the same NDCG as scanning all candidates, ties included", () => {
    const rng = new SeededRandom(11)
    // Values from a small set, so that equal scores (ties) are common.
    const pick = (): number => [0, 0, 0.25, 0.5, 1][rng.int(5)]
    let reduced = 0
    let total = 0
    for (let trial = 0; trial < 300; trial++) {
      const n = 5 + rng.int(40)
      const k = 1 + rng.int(6)
      const base = Float64Array.from({ length: n }, () => pick() + pick())
      const f = Float64Array.from({ length: n }, pick)
      const relevant = new Set(Array.from({ length: 1 + rng.int(3) }, () => rng.int(n)))
      const ex: FitExample = { candidates: Int32Array.from(base, (_, j) => j), features: [f], tieBreak: new Float64Array(n), relevant }
      const gMax = [0.5, 1, 10][rng.int(3)]
      const positions = trialPositions(ex, base, f, k, gMax)
      reduced += positions.length
      total += n
      for (const g of [0, 0.1, 0.5, 1, 2.5, 10].filter((x) => x <= gMax)) {
        expect(ndcg(fullScan(base, f, g, k, positions), relevant, k)).toBe(ndcg(fullScan(base, f, g, k), relevant, k))
      }
    }
    // And it does leave candidates out (otherwise it saves nothing).
    expect(reduced).toBeLessThan(total * 0.8)
  })

  it("scans nothing when no relevant candidate can reach the top k", () => {
    const base = Float64Array.from([3, 2, 1, 0])
    const f = Float64Array.from([0, 0, 0, 0.1])
    const ex: FitExample = { candidates: Int32Array.from([0, 1, 2, 3]), features: [f], tieBreak: new Float64Array(4), relevant: new Set([3]) }
    // Candidate 3 scores at most 0 + 1 * 0.1 < the 2nd best base (2).
    expect(Array.from(trialPositions(ex, base, f, 2, 1))).toEqual([])
    // With g up to 30 it can (0 + 3 >= 2): then it is scanned, with the top 2 by base.
    expect(Array.from(trialPositions(ex, base, f, 2, 30))).toEqual([0, 1, 3])
  })
})

describe("pruneExample without a relevant candidate", () => {
  it("keeps no candidates: NDCG is 0 under any weights", () => {
    const ex: FitExample = {
      candidates: Int32Array.from([1, 2]),
      features: [Float64Array.from([1, 0.5])],
      tieBreak: Float64Array.from([1, 0.5]),
      relevant: new Set([9]),
    }
    const p = pruneExample(ex, ["signal"], 1)
    expect(p.candidates.length).toBe(0)
    expect(p.features[0].length).toBe(0)
    expect(exampleNdcg([p], [1], 1)[0]).toBe(0)
    expect(exampleNdcg([ex], [1], 1)[0]).toBe(0)
  })
})

describe("ownInterestTerm", () => {
  it("weighs the customer's own items by the blended score of their category", () => {
    // Products 0 and 1 in category 0, product 2 in category 1; repeat 1, 0.5, 1.
    const stage = { productCategories: [[0], [0], [1]] } as unknown as Stage
    const sig = { product: { repeat_item: new Map([[0, 1], [1, 0.5], [2, 1]]) } } as unknown as CustomerSignals
    // Category 1 is predicted 4x as strongly as category 0.
    const v = ownInterestTerm(stage, sig, new Map([[0, 0.5], [1, 2]]))
    // raw: 1 * 0.5/2 = 0.25, 0.5 * 0.25 = 0.125, 1 * 2/2 = 1; scaled to max 1.
    expect([...v.entries()].sort((a, b) => a[0] - b[0])).toEqual([[0, 0.25], [1, 0.125], [2, 1]])
    // Categories nobody expects leave nothing.
    expect(ownInterestTerm(stage, sig, new Map()).size).toBe(0)
  })
})
