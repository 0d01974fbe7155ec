/**
 * The draws the synthetic generators need beyond uniform ones, on the engine's seeded
 * generator. Deterministic across platforms: the generator uses only 32-bit integer math.
 */
import { SeededRandom } from "../../engine/util/random"

/** Mixes a seed and any number of stream numbers into one 32-bit seed (murmur3 finaliser). */
export function mixSeed(seed: number, ...streams: number[]): number {
  let h = (seed ^ 0x9e3779b9) >>> 0
  for (const s of [0x85ebca6b, ...streams]) {
    h = Math.imul(h ^ (s >>> 0), 0xcc9e2d51)
    h = (h << 15) | (h >>> 17)
    h = Math.imul(h, 0x1b873593)
    h ^= h >>> 16
    h = Math.imul(h, 0x85ebca6b)
    h ^= h >>> 13
    h = Math.imul(h, 0xc2b2ae35)
    h ^= h >>> 16
  }
  return h >>> 0
}

/** exp(N(mu, sigma)). */
export function logNormal(rng: SeededRandom, mu: number, sigma: number): number {
  return Math.exp(mu + sigma * rng.normal())
}

/** Poisson count (Knuth for small means, normal approximation above 30). */
export function poisson(rng: SeededRandom, mean: number): number {
  if (mean <= 0) return 0
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()))
  const l = Math.exp(-mean)
  let k = 0
  let p = rng.next()
  while (p > l) {
    k++
    p *= rng.next()
  }
  return k
}

/** Gamma(shape, 1) by Marsaglia-Tsang, boosted for shape < 1. */
export function gamma(rng: SeededRandom, shape: number): number {
  if (shape < 1) {
    return gamma(rng, shape + 1) * Math.pow(rng.next() || Number.MIN_VALUE, 1 / shape)
  }
  const d = shape - 1 / 3
  const c = 1 / Math.sqrt(9 * d)
  for (;;) {
    let x: number
    let v: number
    do {
      x = rng.normal()
      v = 1 + c * x
    } while (v <= 0)
    v = v * v * v
    const u = rng.next()
    if (u < 1 - 0.0331 * x * x * x * x) return d * v
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v
  }
}

/** A Dirichlet(alpha, ..., alpha) draw of length n. */
export function dirichlet(rng: SeededRandom, n: number, alpha: number): Float64Array {
  const out = new Float64Array(n)
  let sum = 0
  for (let i = 0; i < n; i++) {
    out[i] = gamma(rng, alpha)
    sum += out[i]
  }
  for (let i = 0; i < n; i++) out[i] = sum > 0 ? out[i] / sum : 1 / n
  return out
}

/** Index drawn proportionally to `weights` (need not be normalised). */
export function weighted(rng: SeededRandom, weights: ArrayLike<number>): number {
  let total = 0
  for (let i = 0; i < weights.length; i++) total += weights[i]
  let r = rng.next() * total
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]
    if (r < 0) return i
  }
  return weights.length - 1
}

/**
 * Draws an index from a cumulative weight table (`cumulative[i]` = sum of weights 0..i)
 * by binary search: O(log n) per draw, used for product popularity inside a category.
 */
export function sampleCumulative(rng: SeededRandom, cumulative: ArrayLike<number>): number {
  const n = cumulative.length
  const r = rng.next() * cumulative[n - 1]
  let lo = 0
  let hi = n - 1
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (cumulative[mid] > r) hi = mid
    else lo = mid + 1
  }
  return lo
}
