/**
 * The engine's one seeded generator (mulberry32): nothing calls Math.random, so a
 * run with the same seed gives the same segments, samples, splits and weights.
 * tfjs seeds its own initialisers and `tf.dropout`; everything decided in plain JS
 * goes through this. Only 32-bit integer math, so the stream is the same everywhere.
 */
/** The seed of every seeded part of the engine that is not given one. */
export const DEFAULT_SEED = 42

export class SeededRandom {
  private state: number

  constructor(seed: number) {
    this.state = (Math.floor(seed) ^ 0x9e3779b9) >>> 0
  }

  /**
   * A generator whose state is exactly `state` (the constructor scrambles its seed):
   * for streams whose seed is already mixed, such as the synthetic shop's `mixSeed`.
   */
  static fromState(state: number): SeededRandom {
    const rng = new SeededRandom(0)
    rng.state = state >>> 0
    return rng
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  /** Integer in [min, max] (both included). */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1)
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    let u = this.next()
    while (u === 0) u = this.next()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next())
  }

  /** Up to `n` distinct indices from [0, total), in increasing order. */
  sampleIndices(total: number, n: number): number[] {
    if (n >= total) return Array.from({ length: total }, (_, i) => i)
    const picked = new Set<number>()
    // Floyd's algorithm: exactly n draws, no rejection loop.
    for (let j = total - n; j < total; j++) {
      const t = this.int(j + 1)
      picked.add(picked.has(t) ? j : t)
    }
    return [...picked].sort((a, b) => a - b)
  }

  /** In-place Fisher–Yates shuffle; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const tmp = items[i]
      items[i] = items[j]
      items[j] = tmp
    }
    return items
  }
}
