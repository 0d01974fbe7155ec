/**
 * Keeps segment ids stable across retrains: each new centroid is matched to the
 * most similar previous centroid (cosine over category ids, greedy on the best
 * pairs first, one-to-one). A match above `minSimilarity` inherits the old id and
 * name; drift = 1 - cosine(old, new).
 */
export interface PreviousSegment {
  id: string
  name: string
  /** facet id -> weight */
  centroid: Record<string, number>
}

export interface SegmentMatch {
  /** Index into previous, or -1 for a new segment. */
  previous: number
  similarity: number
}

export function cosineRecord(a: Record<string, number>, b: Record<string, number>): number {
  let dot = 0
  let na = 0
  let nb = 0
  for (const [k, x] of Object.entries(a)) {
    na += x * x
    const y = b[k]
    if (y !== undefined) dot += x * y
  }
  for (const y of Object.values(b)) nb += y * y
  const n = Math.sqrt(na * nb)
  return n > 0 ? dot / n : 0
}

export function matchSegments(
  current: Record<string, number>[],
  previous: PreviousSegment[],
  minSimilarity: number
): SegmentMatch[] {
  const pairs: [number, number, number][] = []
  current.forEach((c, i) => previous.forEach((p, j) => pairs.push([i, j, cosineRecord(c, p.centroid)])))
  pairs.sort((x, y) => y[2] - x[2] || x[0] - y[0] || x[1] - y[1])
  const out: SegmentMatch[] = current.map(() => ({ previous: -1, similarity: 0 }))
  const usedNew = new Set<number>()
  const usedOld = new Set<number>()
  for (const [i, j, s] of pairs) {
    if (s < minSimilarity) break
    if (usedNew.has(i) || usedOld.has(j)) continue
    usedNew.add(i)
    usedOld.add(j)
    out[i] = { previous: j, similarity: s }
  }
  return out
}
