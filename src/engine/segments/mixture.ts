/**
 * Soft segment membership, the topic mixture: how much a customer belongs to
 * each segment, a softmax over their squared distances to the centroids,
 *   P(t | u) = exp(-d(u, t)^2 / T) / sum_s exp(-d(u, s)^2 / T)
 * (the responsibilities of a Gaussian mixture with equal weights and variance
 * T / 2). Small T gives the hard nearest segment back; large T spreads a customer
 * over every segment alike. The segment prior of a customer's interests is then
 *   P(i | u) = sum_t P(i | t) P(t | u)
 * so a customer halfway between two segments gets half of each, where the hard
 * assignment would give them all of one.
 */
import { SparseVector, normalizeL1 } from "../util/vectors"

/**
 * @param point - the customer's reduced profile (segments.ts reduceProfile)
 * @param centroids - [k][dimensions + 1]
 * @param temperature - T > 0
 * @return P(t | u) per centroid, summing to 1 (empty without centroids)
 */
export function segmentMixture(point: readonly number[], centroids: readonly (readonly number[])[], temperature: number): number[] {
  if (!(temperature > 0)) throw new Error(`The mixture temperature must be > 0, got ${temperature}.`)
  const d2 = centroids.map((c) => c.reduce((s, x, i) => s + (x - (point[i] ?? 0)) ** 2, 0))
  // Shifted by the nearest distance: the largest term is exp(0), none underflows all at once.
  const nearest = Math.min(...d2)
  const w = d2.map((d) => Math.exp(-(d - nearest) / temperature))
  const total = w.reduce((s, x) => s + x, 0)
  return w.map((x) => x / total)
}

/** P(interest | customer) = sum_t P(interest | t) P(t | customer), as a distribution. */
export function mixturePrior(mixture: readonly number[], segmentInterests: readonly SparseVector[]): SparseVector {
  const out: SparseVector = new Map()
  mixture.forEach((p, t) => {
    if (!(p > 0)) return
    for (const [k, x] of normalizeL1(segmentInterests[t] ?? new Map())) out.set(k, (out.get(k) ?? 0) + p * x)
  })
  return normalizeL1(out)
}
