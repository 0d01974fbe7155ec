/**
 * Sparse vectors as Map<index, weight>, and the few dense helpers the engine needs.
 * Profiles over ~2k categories are sparse per customer; keeping them as maps avoids
 * O(customers x categories) memory for 100k customers.
 */
export type SparseVector = Map<number, number>

export function addInto(target: SparseVector, source: SparseVector, scale = 1): void {
  for (const [k, v] of source) target.set(k, (target.get(k) ?? 0) + v * scale)
}

export function sparseSum(v: SparseVector): number {
  let s = 0
  for (const x of v.values()) s += x
  return s
}

/** Scales to sum 1 (a distribution); an all-zero vector stays empty. */
export function normalizeL1(v: SparseVector): SparseVector {
  const s = sparseSum(v)
  const out: SparseVector = new Map()
  if (s <= 0) return out
  for (const [k, x] of v) out.set(k, x / s)
  return out
}

export function l2Norm(v: SparseVector): number {
  let s = 0
  for (const x of v.values()) s += x * x
  return Math.sqrt(s)
}

export function cosine(a: SparseVector, b: SparseVector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a]
  let dot = 0
  for (const [k, x] of small) {
    const y = large.get(k)
    if (y !== undefined) dot += x * y
  }
  const n = l2Norm(a) * l2Norm(b)
  return n > 0 ? dot / n : 0
}

export function denseCosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0
  let na = 0
  let nb = 0
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i]
    na += a[i] * a[i]
    nb += b[i] * b[i]
  }
  const n = Math.sqrt(na * nb)
  return n > 0 ? dot / n : 0
}

export function toDense(v: SparseVector, dim: number): Float64Array {
  const out = new Float64Array(dim)
  for (const [k, x] of v) out[k] = x
  return out
}

export function fromDense(v: ArrayLike<number>, epsilon = 0): SparseVector {
  const out: SparseVector = new Map()
  for (let i = 0; i < v.length; i++) if (Math.abs(v[i]) > epsilon) out.set(i, v[i])
  return out
}

/** Indices of the `k` largest values of a dense array (descending; ties by lower index). */
export function topKDense(values: ArrayLike<number>, k: number, allowed?: (i: number) => boolean): number[] {
  // A small sorted buffer beats a full sort when k << n.
  const idx: number[] = []
  const val: number[] = []
  for (let i = 0; i < values.length; i++) {
    if (allowed && !allowed(i)) continue
    pushTopK(idx, val, k, i, values[i])
  }
  return idx
}

/**
 * Offers one scored candidate to a running top-k (ids and scores, best first):
 * it goes in only if it beats the current k-th, after any equal score already
 * there, and the list stays at most k long.
 */
export function pushTopK(topIdx: number[], topVal: number[], k: number, candidate: number, score: number): void {
  if (topIdx.length === k && score <= topVal[k - 1]) return
  let pos = topIdx.length
  while (pos > 0 && topVal[pos - 1] < score) pos--
  topIdx.splice(pos, 0, candidate)
  topVal.splice(pos, 0, score)
  if (topIdx.length > k) {
    topIdx.pop()
    topVal.pop()
  }
}

/** Entries of a sparse vector by decreasing weight. */
export function topKSparse(v: SparseVector, k: number): [number, number][] {
  return [...v.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k)
}
