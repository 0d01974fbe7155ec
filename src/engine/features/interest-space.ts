/**
 * The reduced interest space fed to the sequence model: the top-N interests by
 * overall weight plus one "other" dimension, so the LSTM sees a fixed, small
 * vector whatever the catalogue's size.
 */
import { SparseVector, normalizeL1 } from "../util/vectors"

export interface InterestSpace {
  /** Facet index of each kept dimension; dimension `top.length` is "other". */
  top: number[]
}

export function buildInterestSpace(totals: ArrayLike<number>, n: number): InterestSpace {
  const idx = Array.from({ length: totals.length }, (_, i) => i)
    .filter((i) => totals[i] > 0)
    .sort((a, b) => totals[b] - totals[a] || a - b)
  return { top: idx.slice(0, n) }
}

export function spaceDim(space: InterestSpace): number {
  return space.top.length + 1
}

/** Projects a vector onto the space as a distribution (sums to 1, or all zero). */
export function project(space: InterestSpace, v: SparseVector, dimOf: Map<number, number>): number[] {
  const out = new Array(space.top.length + 1).fill(0)
  for (const [k, x] of normalizeL1(v)) {
    const d = dimOf.get(k)
    out[d === undefined ? space.top.length : d] += x
  }
  return out
}

export function dimIndex(space: InterestSpace): Map<number, number> {
  return new Map(space.top.map((f, i) => [f, i]))
}

/**
 * Back from the space to facet indices: kept dimensions map 1:1, the "other"
 * mass is spread over `fallback` (e.g. the customer's own profile outside the
 * kept dimensions, or popularity) in proportion to its weights.
 */
export function expand(space: InterestSpace, reduced: ArrayLike<number>, fallback: SparseVector, dimOf: Map<number, number>): SparseVector {
  const out: SparseVector = new Map()
  space.top.forEach((f, i) => {
    if (reduced[i] > 0) out.set(f, reduced[i])
  })
  const other = reduced[space.top.length] ?? 0
  if (other > 0) {
    let s = 0
    for (const [k, x] of fallback) if (!dimOf.has(k)) s += x
    if (s > 0) for (const [k, x] of fallback) if (!dimOf.has(k)) out.set(k, (out.get(k) ?? 0) + (other * x) / s)
  }
  return out
}
