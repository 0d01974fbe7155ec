import type { SequenceSample } from "./contract"

/**
 * Samples packed into flat typed arrays: the form tensors are built from, and the
 * form sent to a worker thread (the buffers are transferable, no deep clone).
 */
export interface PackedSamples {
  n: number
  lookback: number
  featureDim: number
  outputDim: number
  /** [n * lookback * featureDim], row-major [sample][step][feature]. */
  x: Float32Array
  /** [n * outputDim]; null for prediction inputs. */
  y: Float32Array | null
  /** [n]: sample weight times the target's mass (0 for an all-zero target). */
  w: Float32Array | null
}

/**
 * Checks shapes and values once at the entry point and packs the samples.
 * `withTargets` requires a target on every sample (training).
 */
export function packSamples(
  samples: SequenceSample[],
  dims: { lookback: number; featureDim: number; outputDim: number },
  withTargets: boolean
): PackedSamples {
  if (!Array.isArray(samples)) {
    throw new Error("samples must be an array.")
  }
  return packSteps(
    samples.map((s) => s?.steps),
    dims,
    withTargets ? samples : null
  )
}

/** Packs prediction inputs ([n][lookback][featureDim]). */
export function packSteps(
  steps: number[][][],
  dims: { lookback: number; featureDim: number; outputDim: number },
  samples: SequenceSample[] | null = null
): PackedSamples {
  const { lookback, featureDim, outputDim } = dims
  const n = steps.length
  const x = new Float32Array(n * lookback * featureDim)
  const y = samples ? new Float32Array(n * outputDim) : null
  const w = samples ? new Float32Array(n) : null
  for (let i = 0; i < n; i++) {
    const window = steps[i]
    if (!Array.isArray(window) || window.length !== lookback) {
      throw new Error(
        `Sample ${i}: expected ${lookback} steps (left-pad shorter histories with zero rows), got ${
          Array.isArray(window) ? window.length : typeof window
        }.`
      )
    }
    for (let t = 0; t < lookback; t++) {
      const row = window[t]
      if (!row || row.length !== featureDim) {
        throw new Error(`Sample ${i}, step ${t}: expected ${featureDim} features, got ${row ? row.length : row}.`)
      }
      const base = (i * lookback + t) * featureDim
      for (let f = 0; f < featureDim; f++) {
        const v = row[f]
        if (!Number.isFinite(v)) {
          throw new Error(`Sample ${i}, step ${t}, feature ${f}: not a finite number (${v}).`)
        }
        x[base + f] = v
      }
    }
    if (samples && y && w) {
      const s = samples[i]
      const target = s.target
      if (!target || target.length !== outputDim) {
        throw new Error(`Sample ${i}: expected a target of length ${outputDim}, got ${target ? target.length : target}.`)
      }
      let mass = 0
      for (let k = 0; k < outputDim; k++) {
        const v = target[k]
        if (!Number.isFinite(v) || v < 0) {
          throw new Error(`Sample ${i}, target ${k}: must be a finite non-negative number (${v}).`)
        }
        y[i * outputDim + k] = v
        mass += v
      }
      const weight = s.weight ?? 1
      if (!Number.isFinite(weight) || weight < 0) {
        throw new Error(`Sample ${i}: weight must be a finite non-negative number (${weight}).`)
      }
      w[i] = weight * mass
    }
  }
  return { n, lookback, featureDim, outputDim, x, y, w }
}

/** Copies the samples at `indices` into a new packed set. */
export function takeSamples(p: PackedSamples, indices: ArrayLike<number>): PackedSamples {
  const m = indices.length
  const xs = p.lookback * p.featureDim
  const x = new Float32Array(m * xs)
  const y = p.y ? new Float32Array(m * p.outputDim) : null
  const w = p.w ? new Float32Array(m) : null
  for (let j = 0; j < m; j++) {
    const i = indices[j]
    x.set(p.x.subarray(i * xs, (i + 1) * xs), j * xs)
    if (y && p.y) {
      y.set(p.y.subarray(i * p.outputDim, (i + 1) * p.outputDim), j * p.outputDim)
    }
    if (w && p.w) {
      w[j] = p.w[i]
    }
  }
  return { n: m, lookback: p.lookback, featureDim: p.featureDim, outputDim: p.outputDim, x, y, w }
}
