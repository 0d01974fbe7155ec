import { CATEGORY_RANKER_FEATURES, CategoryRankerExample, RANKER_INPUTS, categoryRankerRow, categoryRankerScores, fitCategoryRanker } from "../category-ranker"
import { SparseVector } from "../../util/vectors"

type Inputs = Record<(typeof RANKER_INPUTS)[number], SparseVector>

function inputs(values: Partial<Record<keyof Inputs, [number, number][]>>): Inputs {
  const out = {} as Inputs
  for (const n of RANKER_INPUTS) out[n] = new Map(values[n] ?? [])
  return out
}

describe("categoryRankerRow", () => {
  it("holds the signals, their logs and the interactions in feature order", () => {
    const row = categoryRankerRow(0.5, inputs({ repeat: [[7, 1]], visits: [[7, 0.25]] }), 7)
    expect(row.length).toBe(CATEGORY_RANKER_FEATURES.length)
    const at = (name: string): number => row[CATEGORY_RANKER_FEATURES.indexOf(name)]
    expect(at("popularity")).toBe(0.5)
    expect(at("repeat")).toBe(1)
    expect(at("visits")).toBe(0.25)
    expect(at("markov")).toBe(0)
    expect(at("log_visits")).toBeCloseTo(Math.log(0.251))
    expect(at("own")).toBe(1)
    expect(at("own_x_popularity")).toBe(0.5)
    expect(at("signals_present")).toBeCloseTo(2 / RANKER_INPUTS.length)
  })
})

describe("fitCategoryRanker", () => {
  // Customers with 4 candidate categories: 0 and 1 they touched in several sessions
  // ("visits" 1) with a weak profile, 2 and 3 a strong profile ("repeat" 1) from one
  // session long ago. Only the revisited ones come back; the ranker must learn that
  // visits, not the profile, predicts them.
  function examples(n: number): CategoryRankerExample[] {
    const popNorm = Float64Array.from([0.2, 0.2, 0.9, 0.9])
    return Array.from({ length: n }, (_, i) => {
      const revisited = i % 2 ? 0 : 1
      const other = 1 - revisited
      return {
        candidates: [0, 1, 2, 3],
        popNorm,
        signals: inputs({
          repeat: [
            [revisited, 0.3],
            [other, 0.3],
            [2, 1],
            [3, 1],
          ],
          visits: [
            [revisited, 1],
            [other, 0.5],
            [2, 0.2],
            [3, 0.2],
          ],
        }),
        relevant: new Set([revisited]),
      }
    })
  }

  it("learns which signal predicts the next period and scores it first", () => {
    const model = fitCategoryRanker(examples(60), 0.1)
    expect(model).toBeDefined()
    const ex = examples(2)[1]
    const scores = categoryRankerScores(model as NonNullable<typeof model>, ex.candidates, ex.popNorm, ex.signals)
    const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1]).map((e) => e[0])
    expect(ranked[0]).toBe(0)
    expect(Math.max(...scores.values())).toBe(1)
  })

  it("does not fit on too few positives", () => {
    expect(fitCategoryRanker(examples(10))).toBeUndefined()
  })
})
