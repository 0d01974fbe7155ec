/**
 * L2-regularised logistic regression fitted by Newton's method (IRLS). With a
 * couple of dozen features the Hessian is tiny, so a handful of exact Newton
 * steps converge without a learning rate to tune, and the result is
 * deterministic (no sampling, no initialisation noise).
 */

const MAX_STEP = 4

export interface LogisticModel {
  /** Per-feature weights; the last entry is the intercept. */
  weights: number[]
}

/** Solves A x = b for a small symmetric positive-definite A (Gaussian elimination with pivoting). */
export function solveLinear(a: number[][], b: number[]): number[] {
  const n = b.length
  const m = a.map((row, i) => [...row, b[i]])
  for (let col = 0; col < n; col++) {
    let pivot = col
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r
    ;[m[col], m[pivot]] = [m[pivot], m[col]]
    const d = m[col][col]
    if (Math.abs(d) < 1e-12) continue
    for (let r = 0; r < n; r++) {
      if (r === col) continue
      const f = m[r][col] / d
      if (f === 0) continue
      for (let k = col; k <= n; k++) m[r][k] -= f * m[col][k]
    }
  }
  return m.map((row, i) => (Math.abs(row[i]) < 1e-12 ? 0 : row[n] / row[i]))
}

/**
 * `rows`: feature rows (each of length d), `labels`: 0/1. `l2` penalises every
 * weight but the intercept. `rowWeights` (optional) weighs each row in the loss.
 */
export function fitLogistic(
  rows: ArrayLike<number>[],
  labels: ArrayLike<number>,
  options: { l2?: number; iterations?: number; rowWeights?: ArrayLike<number> } = {}
): LogisticModel {
  const n = rows.length
  if (n === 0) throw new Error("fitLogistic needs at least one row.")
  const d = rows[0].length
  const l2 = options.l2 ?? 1
  const iterations = options.iterations ?? 12
  const w = new Array(d + 1).fill(0)
  for (let it = 0; it < iterations; it++) {
    const grad = new Array(d + 1).fill(0)
    const hess: number[][] = Array.from({ length: d + 1 }, () => new Array(d + 1).fill(0))
    for (let i = 0; i < n; i++) {
      const x = rows[i]
      let z = w[d]
      for (let j = 0; j < d; j++) z += w[j] * x[j]
      const p = 1 / (1 + Math.exp(-z))
      const rw = options.rowWeights ? options.rowWeights[i] : 1
      const g = (p - labels[i]) * rw
      const h = Math.max(p * (1 - p), 1e-6) * rw
      for (let j = 0; j < d; j++) {
        const xj = x[j]
        if (xj === 0) continue
        grad[j] += g * xj
        const row = hess[j]
        for (let k = 0; k <= j; k++) row[k] += h * xj * x[k]
        hess[d][j] += h * xj
      }
      grad[d] += g
      hess[d][d] += h
    }
    for (let j = 0; j <= d; j++) for (let k = 0; k < j; k++) hess[k][j] = hess[j][k]
    for (let j = 0; j < d; j++) {
      grad[j] += l2 * w[j]
      hess[j][j] += l2
    }
    hess[d][d] += 1e-6
    const step = solveLinear(hess, grad)
    let moved = 0
    for (const x of step) moved = Math.max(moved, Math.abs(x))
    if (!Number.isFinite(moved)) break
    // Damped Newton: a far step (nearly separable data) is shortened, so weights never blow up.
    const scale = moved > MAX_STEP ? MAX_STEP / moved : 1
    for (let j = 0; j <= d; j++) w[j] -= scale * step[j]
    if (moved < 1e-6) break
  }
  return { weights: w }
}

/** The linear score (log-odds) of one row: ranking by it equals ranking by probability. */
export function logit(model: LogisticModel, x: ArrayLike<number>): number {
  const w = model.weights
  const d = w.length - 1
  let z = w[d]
  for (let j = 0; j < d; j++) z += w[j] * x[j]
  return z
}
