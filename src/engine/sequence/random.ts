/**
 * Small seeded random helpers. tfjs seeds its own initialisers and `tf.dropout`;
 * everything decided in plain JS (splits, shuffles, the orthogonal recurrent
 * kernel) goes through these so a seed fully determines a run.
 */

/** mulberry32: a tiny, fast 32-bit PRNG; returns floats in [0, 1). */
export function createRandom(seed: number): () => number {
  let a = (Math.floor(seed) ^ 0x9e3779b9) >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Fisher–Yates shuffle in place with the given random source. */
export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const tmp = items[i]
    items[i] = items[j]
    items[j] = tmp
  }
  return items
}

/** Standard normal sample (Box–Muller). */
export function normal(random: () => number): number {
  let u = 0
  while (u === 0) {
    u = random()
  }
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())
}

/**
 * A seeded orthogonal matrix of shape [rows][cols], row-major in a Float32Array:
 * rows are orthonormal when rows <= cols (columns otherwise), as Keras' Orthogonal
 * initialiser gives. Built here with Gram–Schmidt because tfjs' own initialiser
 * prints a "slow" warning for matrices over 2,000 elements (an LSTM's
 * [units, 4 * units] recurrent kernel always is).
 */
export function orthogonalMatrix(rows: number, cols: number, seed: number): Float32Array {
  const random = createRandom(seed)
  const transpose = rows > cols
  const n = transpose ? cols : rows // number of orthonormal vectors
  const len = transpose ? rows : cols // their length
  const vectors: Float64Array[] = []
  for (let i = 0; i < n; i++) {
    let v: Float64Array
    let norm = 0
    do {
      v = new Float64Array(len)
      for (let k = 0; k < len; k++) {
        v[k] = normal(random)
      }
      // Twice-repeated Gram–Schmidt for numerical orthogonality.
      for (let pass = 0; pass < 2; pass++) {
        for (const u of vectors) {
          let dot = 0
          for (let k = 0; k < len; k++) {
            dot += u[k] * v[k]
          }
          for (let k = 0; k < len; k++) {
            v[k] -= dot * u[k]
          }
        }
      }
      norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0))
    } while (norm < 1e-6)
    for (let k = 0; k < len; k++) {
      v[k] /= norm
    }
    vectors.push(v)
  }
  const out = new Float32Array(rows * cols)
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < len; k++) {
      if (transpose) {
        out[k * cols + i] = vectors[i][k]
      } else {
        out[i * cols + k] = vectors[i][k]
      }
    }
  }
  return out
}
