import { SeededRandom } from "../util/random"

/** A draw this close to the span of the vectors so far is drawn again (it cannot be normalised reliably). */
const MIN_NORM = 1e-6

/**
 * A seeded orthogonal matrix of shape [rows][cols], row-major in a Float32Array:
 * rows are orthonormal when rows <= cols (columns otherwise), as Keras' Orthogonal
 * initialiser gives. Built here with Gram–Schmidt because tfjs' own initialiser
 * prints a "slow" warning for matrices over 2,000 elements (an LSTM's
 * [units, 4 * units] recurrent kernel always is).
 */
export function orthogonalMatrix(rows: number, cols: number, seed: number): Float32Array {
  const random = new SeededRandom(seed)
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
        v[k] = random.normal()
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
    } while (norm < MIN_NORM)
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
