/**
 * TF-IDF-like damping: what nearly every customer looks at says little about one
 * customer. idf(v) = ln((1 + N) / (1 + df(v))) + 1, with df(v) the number of
 * customers whose profile holds v and N the number of customers (the smoothed
 * sklearn form, so a value everyone has still keeps weight 1).
 */
import { SparseVector } from "../util/vectors"

export function inverseDocumentFrequency(profiles: Iterable<SparseVector>, dim: number): Float64Array {
  const df = new Float64Array(dim)
  let n = 0
  for (const p of profiles) {
    n++
    for (const k of p.keys()) df[k]++
  }
  const idf = new Float64Array(dim)
  for (let v = 0; v < dim; v++) idf[v] = Math.log((1 + n) / (1 + df[v])) + 1
  return idf
}

export function applyIdf(profile: SparseVector, idf: Float64Array): SparseVector {
  const out: SparseVector = new Map()
  for (const [k, x] of profile) out.set(k, x * idf[k])
  return out
}
