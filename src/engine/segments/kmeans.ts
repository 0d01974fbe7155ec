/**
 * Access to ml-kmeans. Version 7 ships as an ES module only. Node >= 20.19 can
 * require() it natively, but jest's module loader cannot (it would need to
 * transform node_modules); so when the plain require fails we ask Node's own
 * loader through process.getBuiltinModule (Node >= 20.16). Anything older gets
 * a readable error instead of a syntax error from deep inside jest.
 */
export interface KMeansFit {
  clusters: number[]
  centroids: number[][]
  converged: boolean
  iterations: number
}

type KMeansFn = (
  data: number[][],
  k: number,
  options: { seed?: number; maxIterations?: number; tolerance?: number; initialization?: string | number[][] }
) => KMeansFit

let cached: KMeansFn | undefined

function load(): KMeansFn {
  if (cached) return cached
  const errors: string[] = []
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    cached = require("ml-kmeans").kmeans as KMeansFn
    if (typeof cached === "function") return cached
  } catch (e) {
    errors.push((e as Error).message)
  }
  const getBuiltin = (process as unknown as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule
  if (typeof getBuiltin === "function") {
    try {
      const nodeModule = getBuiltin("module") as { createRequire: (path: string) => (id: string) => { kmeans: KMeansFn } }
      cached = nodeModule.createRequire(__filename)("ml-kmeans").kmeans
      if (typeof cached === "function") return cached
    } catch (e) {
      errors.push((e as Error).message)
    }
  }
  throw new Error(`Could not load ml-kmeans (ES module; needs Node >= 20.19): ${errors.join("; ")}`)
}

/** k-means with an explicit seed (kmeans++ initialisation). */
export function runKmeans(data: number[][], k: number, seed: number, maxIterations = 100): KMeansFit {
  const fit = load()(data, k, { seed, maxIterations, initialization: "kmeans++" })
  return {
    clusters: Array.from(fit.clusters),
    centroids: fit.centroids.map((c) => Array.from(c)),
    converged: fit.converged,
    iterations: fit.iterations,
  }
}

export function squaredDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i]
    s += d * d
  }
  return s
}

/** Index of the centroid closest to `point` (squared Euclidean). */
export function nearestCentroid(point: ArrayLike<number>, centroids: ArrayLike<number>[]): number {
  let best = 0
  let bestD = Infinity
  for (let j = 0; j < centroids.length; j++) {
    const d = squaredDistance(point, centroids[j])
    if (d < bestD) {
      bestD = d
      best = j
    }
  }
  return best
}
