/**
 * A learned pointwise category ranker: logistic regression over each candidate
 * category's signals, their logarithms (so the model can weigh "a little of
 * several signals" against "a lot of one", which a linear blend of max-scaled
 * signals cannot) and a few interactions. It is fitted on the validation
 * periods only (out of fold for the examples the blend is fitted on, see
 * train-model.ts) and enters the model as one more blend signal, "ranker", so
 * the blend's significance rule still decides whether it earns a weight.
 *
 * It reads neither the LSTM nor transfer, so the ablations without_lstm and
 * without_transfer can keep it and still mean "without that part".
 */
import { SparseVector } from "../util/vectors"
import { LogisticModel, fitLogistic, logit } from "./logistic"

/** The category signals the ranker reads (names as in CustomerSignals.category). */
export const RANKER_INPUTS = ["repeat", "recent", "markov", "item_knn", "session", "visits"] as const
export type RankerInput = (typeof RANKER_INPUTS)[number]

/** Feature names, in row order (for reports and tests). */
export const CATEGORY_RANKER_FEATURES = [
  "popularity",
  ...RANKER_INPUTS,
  "log_popularity",
  ...RANKER_INPUTS.map((n) => `log_${n}`),
  "own",
  "own_x_popularity",
  "signals_present",
]

const LOG_FLOOR = 1e-3

/** One candidate's feature row. `pop` is the category's max-scaled popularity. */
export function categoryRankerRow(pop: number, signals: Record<RankerInput, SparseVector>, c: number): Float64Array {
  const row = new Float64Array(CATEGORY_RANKER_FEATURES.length)
  const n = RANKER_INPUTS.length
  row[0] = pop
  row[n + 1] = Math.log(pop + LOG_FLOOR)
  let present = 0
  for (let i = 0; i < n; i++) {
    const x = signals[RANKER_INPUTS[i]].get(c) ?? 0
    row[1 + i] = x
    row[n + 2 + i] = Math.log(x + LOG_FLOOR)
    if (x > 0) present++
  }
  const own = (signals.repeat.get(c) ?? 0) > 0 ? 1 : 0
  row[2 * n + 2] = own
  row[2 * n + 3] = own * pop
  row[2 * n + 4] = present / n
  return row
}

/** Scores (probabilities scaled to max 1) of the candidates. */
export function categoryRankerScores(
  model: LogisticModel,
  candidates: ArrayLike<number>,
  popNorm: Float64Array,
  signals: Record<RankerInput, SparseVector>
): SparseVector {
  const probs = new Float64Array(candidates.length)
  let m = 0
  for (let j = 0; j < candidates.length; j++) {
    const c = candidates[j]
    probs[j] = 1 / (1 + Math.exp(-logit(model, categoryRankerRow(popNorm[c] ?? 0, signals, c))))
    if (probs[j] > m) m = probs[j]
  }
  const out: SparseVector = new Map()
  if (m > 0) for (let j = 0; j < candidates.length; j++) out.set(candidates[j], probs[j] / m)
  return out
}

export interface CategoryRankerExample {
  candidates: ArrayLike<number>
  popNorm: Float64Array
  signals: Record<RankerInput, SparseVector>
  relevant: Set<number>
}

/**
 * Fits the ranker on validation examples (every candidate of every example is a
 * row). Returns undefined when there are too few positives to learn from.
 */
export function fitCategoryRanker(examples: CategoryRankerExample[], l2 = 10): LogisticModel | undefined {
  const rows: Float64Array[] = []
  const labels: number[] = []
  let positives = 0
  for (const ex of examples) {
    for (let j = 0; j < ex.candidates.length; j++) {
      const c = ex.candidates[j]
      rows.push(categoryRankerRow(ex.popNorm[c] ?? 0, ex.signals, c))
      const y = ex.relevant.has(c) ? 1 : 0
      labels.push(y)
      positives += y
    }
  }
  if (positives < 20 || positives === rows.length) return undefined
  return fitLogistic(rows, labels, { l2 })
}
