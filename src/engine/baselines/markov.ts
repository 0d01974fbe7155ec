/**
 * First-order Markov chain over categories between a customer's consecutive
 * active periods: P(b next | a now) estimated from sum over transitions of
 * p_t(a) * p_{t+1}(b), both periods normalised to distributions, rows
 * normalised to 1. Prediction for a customer: sum_a p_last(a) * P(. | a).
 */
import { SparseVector, addInto, normalizeL1 } from "../util/vectors"

export type MarkovChain = Map<number, SparseVector>

/** Rows keep at most this many successors: the tail is noise and memory. */
const MAX_ROW = 50

export interface ShopperPeriods {
  /** The shopper's period profiles, oldest first. */
  periods: SparseVector[]
  /** Their weight in crowd signals (profiles/influence.ts). */
  weight: number
}

export function fitMarkov(sequences: Iterable<ShopperPeriods>): MarkovChain {
  const counts: Map<number, SparseVector> = new Map()
  for (const { periods: seq, weight } of sequences) {
    for (let t = 0; t + 1 < seq.length; t++) {
      const from = normalizeL1(seq[t])
      const to = normalizeL1(seq[t + 1])
      for (const [a, pa] of from) {
        let row = counts.get(a)
        if (!row) {
          row = new Map()
          counts.set(a, row)
        }
        addInto(row, to, pa * weight)
      }
    }
  }
  const chain: MarkovChain = new Map()
  for (const [a, row] of counts) {
    const top = [...row.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0]).slice(0, MAX_ROW)
    chain.set(a, normalizeL1(new Map(top)))
  }
  return chain
}

export function markovPredict(chain: MarkovChain, current: SparseVector): SparseVector {
  const from = normalizeL1(current)
  const out: SparseVector = new Map()
  for (const [a, pa] of from) {
    const row = chain.get(a)
    if (row) addInto(out, row, pa)
  }
  return out
}
