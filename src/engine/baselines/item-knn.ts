/**
 * Item-to-item co-occurrence kNN. Two products co-occur when the same customer
 * touches them within `window` distinct products of each other (a session-like
 * neighbourhood, weight 1/distance). Similarity is cosine-normalised:
 *   sim(i, j) = C(i, j) / sqrt(n_i * n_j)
 * with n_i the co-occurrence mass of i, so blockbusters do not neighbour everything.
 */
export interface ItemNeighbours {
  /** neighbours[p] = product indices most similar to p, best first. */
  index: Int32Array[]
  sim: Float32Array[]
}

export interface CooccurrenceOptions {
  window: number
  topN: number
}

export interface ShopperSequence {
  /** The shopper's visible products, oldest first. */
  products: ArrayLike<number>
  /** Their weight in crowd signals (profiles/influence.ts). */
  weight: number
}

export function fitItemKnn(nProducts: number, sequences: Iterable<ShopperSequence>, options: CooccurrenceOptions): ItemNeighbours {
  const pairs: Map<number, Map<number, number>> = new Map()
  const mass = new Float64Array(nProducts)
  const bump = (a: number, b: number, w: number): void => {
    let row = pairs.get(a)
    if (!row) {
      row = new Map()
      pairs.set(a, row)
    }
    row.set(b, (row.get(b) ?? 0) + w)
  }
  const recent: number[] = []
  // One shopper's say on a pair is their closest co-occurrence of it, however
  // often they repeat it: a client alternating two products cannot make them neighbours.
  const closest = new Map<number, number>()
  for (const { products: seq, weight } of sequences) {
    recent.length = 0
    closest.clear()
    for (let i = 0; i < seq.length; i++) {
      const p = seq[i]
      if (recent.length > 0 && recent[recent.length - 1] === p) continue
      for (let d = 1; d <= recent.length; d++) {
        const q = recent[recent.length - d]
        if (q === p) continue
        const key = p < q ? p * nProducts + q : q * nProducts + p
        const w = 1 / d
        if (w > (closest.get(key) ?? 0)) closest.set(key, w)
      }
      recent.push(p)
      if (recent.length > options.window) recent.shift()
    }
    for (const [key, w] of closest) {
      const a = Math.floor(key / nProducts)
      const b = key - a * nProducts
      bump(a, b, w * weight)
      bump(b, a, w * weight)
      mass[a] += w * weight
      mass[b] += w * weight
    }
  }
  const index: Int32Array[] = new Array(nProducts)
  const sim: Float32Array[] = new Array(nProducts)
  const empty = new Int32Array(0)
  const emptyF = new Float32Array(0)
  for (let p = 0; p < nProducts; p++) {
    const row = pairs.get(p)
    if (!row) {
      index[p] = empty
      sim[p] = emptyF
      continue
    }
    const scored: [number, number][] = []
    for (const [q, c] of row) scored.push([q, c / Math.sqrt(mass[p] * mass[q])])
    scored.sort((a, b) => b[1] - a[1] || a[0] - b[0])
    const top = scored.slice(0, options.topN)
    index[p] = Int32Array.from(top.map((x) => x[0]))
    sim[p] = Float32Array.from(top.map((x) => x[1]))
  }
  return { index, sim }
}

/** Sum over the customer's recent products (with weights) of their neighbours' similarity. */
export function itemKnnScores(knn: ItemNeighbours, recent: [number, number][]): Map<number, number> {
  const out = new Map<number, number>()
  for (const [p, w] of recent) {
    const idx = knn.index[p]
    const sim = knn.sim[p]
    if (!idx) continue
    for (let j = 0; j < idx.length; j++) out.set(idx[j], (out.get(idx[j]) ?? 0) + w * sim[j])
  }
  return out
}
