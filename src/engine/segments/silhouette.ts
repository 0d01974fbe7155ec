/**
 * Mean silhouette coefficient (Rousseeuw 1987), Euclidean distance:
 *   s(i) = (b(i) - a(i)) / max(a(i), b(i))
 * a(i) = mean distance to the other members of i's cluster, b(i) = the smallest
 * mean distance to another cluster's members; s(i) = 0 for singletons.
 * O(n^2): callers pass a sample.
 */
export function silhouetteScore(points: ArrayLike<number>[], labels: number[]): number {
  const n = points.length
  const k = Math.max(...labels) + 1
  if (k < 2 || n < 3) return 0
  const size = new Array(k).fill(0)
  for (const l of labels) size[l]++
  let total = 0
  const sums = new Float64Array(k)
  for (let i = 0; i < n; i++) {
    sums.fill(0)
    const pi = points[i]
    for (let j = 0; j < n; j++) {
      if (i === j) continue
      const pj = points[j]
      let d = 0
      for (let t = 0; t < pi.length; t++) {
        const x = pi[t] - pj[t]
        d += x * x
      }
      sums[labels[j]] += Math.sqrt(d)
    }
    const own = labels[i]
    if (size[own] <= 1) continue
    const a = sums[own] / (size[own] - 1)
    let b = Infinity
    for (let c = 0; c < k; c++) if (c !== own && size[c] > 0) b = Math.min(b, sums[c] / size[c])
    const m = Math.max(a, b)
    total += m > 0 ? (b - a) / m : 0
  }
  return total / n
}
