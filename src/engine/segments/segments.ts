/**
 * Customer segments: k-means (ml-kmeans) on interest profiles reduced to the
 * top-D interests plus "other", k chosen by the mean silhouette over a range,
 * ids kept stable across retrains by matching centroids to the previous run.
 */
import { DEFAULT_SEED, SeededRandom } from "../util/random"
import { getDefinedOptions } from "../util/options"
import { round6 } from "../util/round"
import { SparseVector, denseCosine, normalizeL1 } from "../util/vectors"
import { nearestCentroid, runKmeans } from "./kmeans"
import { PreviousSegment, matchSegments } from "./match"
import { silhouetteScore } from "./silhouette"

export interface SegmentOptions {
  /** Smallest k tried. @defaultValue 2 */
  minK: number
  /** Largest k tried (cap). @defaultValue 8 */
  maxK: number
  /** Interests kept as dimensions (the rest is summed into "other"). @defaultValue 32 */
  dimensions: number
  /** Customers sampled for choosing k by silhouette (O(n^2)). @defaultValue 800 */
  silhouetteSample: number
  /** Customers sampled to fit the centroids; everyone is then assigned. @defaultValue 5000 */
  fitSample: number
  /** Cosine above which a new centroid inherits a previous segment's id. @defaultValue 0.5 */
  matchSimilarity: number
  /** @defaultValue 42 */
  seed: number
  /**
   * The segment prior the ranker reads: "hard", the interests of the nearest
   * segment; "mixture", those of every segment weighted by the customer's soft
   * membership (mixture.ts). Chosen on the cold cohort of the dev split
   * (docs/evaluate.md). @defaultValue "hard"
   */
  prior: "hard" | "mixture"
  /**
   * Temperature of the soft membership, in squared distance between reduced
   * profiles (distributions, so at most 2 apart). Chosen on the dev split
   * (docs/evaluate.md). @defaultValue 0.05
   */
  temperature: number
}

/** Interests listed per segment, and how many of them name it. */
const TOP_INTERESTS = 5
const NAME_INTERESTS = 3
/** Centroid weights at or below this round to nothing (round6) and are left out. */
const MIN_CENTROID_WEIGHT = 1e-6
/** A larger k must beat the best silhouette by more than float noise to be chosen. */
const MIN_SILHOUETTE_GAIN = 1e-9

export const DEFAULT_SEGMENT_OPTIONS: SegmentOptions = {
  minK: 2,
  maxK: 8,
  dimensions: 32,
  silhouetteSample: 800,
  fitSample: 5000,
  matchSimilarity: 0.5,
  seed: DEFAULT_SEED,
  prior: "hard",
  temperature: 0.05,
}

export interface Segment {
  id: string
  name: string
  size: number
  /** facet id -> weight (distribution over the kept dimensions; "other" excluded). */
  centroid: Record<string, number>
  topInterests: { id: string; weight: number }[]
  /** Mean cosine similarity of members to the centroid (1 = identical members). */
  cohesion: number
  /** 1 - cosine to the matched previous centroid; null for a new segment. */
  drift: number | null
}

export interface SegmentModel {
  /** Facet index of each reduced dimension; the last dimension is "other". */
  dimensions: number[]
  /** [k][dimensions.length + 1] */
  centroids: number[][]
  segments: Segment[]
  silhouette: number
  /** Segment index of every input profile (-1 for an empty profile). */
  assignments: Int32Array
}

/** Projects a profile onto the reduced dimensions (+ "other"), as a distribution. */
export function reduceProfile(profile: SparseVector, dimensions: number[], dimOf: Map<number, number>): number[] {
  const out = new Array(dimensions.length + 1).fill(0)
  const p = normalizeL1(profile)
  for (const [k, x] of p) {
    const d = dimOf.get(k)
    out[d === undefined ? dimensions.length : d] += x
  }
  return out
}

function validate(profiles: SparseVector[], facetIds: string[], o: SegmentOptions): void {
  if (!Array.isArray(profiles)) throw new Error("Segment profiles must be an array.")
  if (!Number.isInteger(o.minK) || o.minK < 1) throw new Error(`minK must be an integer >= 1, got ${o.minK}.`)
  if (!Number.isInteger(o.maxK) || o.maxK < o.minK) throw new Error(`maxK must be an integer >= minK, got ${o.maxK}.`)
  if (facetIds.length === 0 && profiles.some((p) => p.size > 0)) throw new Error("Segment facet ids are empty.")
}

/**
 * Fits segments. `profiles[i]` is customer i's (damped) interest profile over
 * facet indices; `facetIds[j]` names facet index j; `previous` are last run's
 * segments (for stable ids and drift).
 */
export function fitSegments(
  profiles: SparseVector[],
  facetIds: string[],
  options?: Partial<SegmentOptions>,
  previous: PreviousSegment[] = []
): SegmentModel {
  const o = getDefinedOptions(DEFAULT_SEGMENT_OPTIONS, options)
  validate(profiles, facetIds, o)
  const mass = new Float64Array(facetIds.length)
  for (const p of profiles) for (const [k, x] of normalizeL1(p)) mass[k] += x
  const dimensions = Array.from(mass.keys())
    .filter((k) => mass[k] > 0)
    .sort((a, b) => mass[b] - mass[a] || a - b)
    .slice(0, o.dimensions)
  const dimOf = new Map(dimensions.map((d, i) => [d, i]))
  const active: number[] = []
  const points: number[][] = []
  profiles.forEach((p, i) => {
    if (p.size === 0) return
    active.push(i)
    points.push(reduceProfile(p, dimensions, dimOf))
  })
  const assignments = new Int32Array(profiles.length).fill(-1)
  if (points.length === 0) return { dimensions, centroids: [], segments: [], silhouette: 0, assignments }

  const rng = new SeededRandom(o.seed)
  const fitIdx = rng.sampleIndices(points.length, o.fitSample)
  const fitPoints = fitIdx.map((i) => points[i])
  const distinct = new Set(fitPoints.map((p) => p.join(","))).size
  const maxK = Math.min(o.maxK, distinct, Math.max(1, Math.floor(fitPoints.length / 2)))
  const minK = Math.min(o.minK, maxK)
  const silIdx = rng.sampleIndices(fitPoints.length, o.silhouetteSample)
  const silPoints = silIdx.map((i) => fitPoints[i])

  let best = { k: minK, score: -Infinity, centroids: [] as number[][] }
  for (let k = minK; k <= maxK; k++) {
    const fit = k === 1 ? { centroids: [mean(fitPoints)], clusters: fitPoints.map(() => 0) } : runKmeans(fitPoints, k, o.seed)
    const labels = silPoints.map((p) => nearestCentroid(p, fit.centroids))
    // A single cluster has silhouette 0 by definition: it wins only if nothing separates.
    const score = k === 1 ? 0 : silhouetteScore(silPoints, labels)
    if (score > best.score + MIN_SILHOUETTE_GAIN) best = { k, score, centroids: fit.centroids }
  }
  // Drop clusters that ended up empty over the full population.
  const labelsAll = points.map((p) => nearestCentroid(p, best.centroids))
  const used = [...new Set(labelsAll)].sort((a, b) => a - b)
  const centroids = used.map((j) => best.centroids[j])
  const remap = new Map(used.map((j, i) => [j, i]))
  const members: number[][] = centroids.map(() => [])
  labelsAll.forEach((l, i) => {
    const s = remap.get(l) as number
    assignments[active[i]] = s
    members[s].push(i)
  })

  const records = centroids.map((c) => {
    const rec: Record<string, number> = {}
    dimensions.forEach((d, i) => {
      if (c[i] > MIN_CENTROID_WEIGHT) rec[facetIds[d]] = round6(c[i])
    })
    return rec
  })
  const matches = matchSegments(records, previous, o.matchSimilarity)
  let nextId = 1 + previous.reduce((m, p) => Math.max(m, Number(/(\d+)$/.exec(p.id)?.[1] ?? 0)), 0)
  const segments: Segment[] = centroids.map((c, s) => {
    const topInterests = Object.entries(records[s])
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, TOP_INTERESTS)
      .map(([id, weight]) => ({ id, weight }))
    const m = matches[s]
    const prev = m.previous >= 0 ? previous[m.previous] : undefined
    const cohesion = members[s].length ? members[s].reduce((acc, i) => acc + denseCosine(points[i], c), 0) / members[s].length : 0
    return {
      id: prev ? prev.id : `seg_${nextId++}`,
      name: prev ? prev.name : segmentName(topInterests.map((t) => t.id)),
      size: members[s].length,
      centroid: records[s],
      topInterests,
      cohesion: round6(cohesion),
      drift: prev ? round6(1 - m.similarity) : null,
    }
  })
  return { dimensions, centroids, segments, silhouette: best.score === -Infinity ? 0 : best.score, assignments }
}

/** "Lamps, Rugs & Vases": a segment is named by its top NAME_INTERESTS interests. */
export function segmentName(top: string[]): string {
  const names = top.slice(0, NAME_INTERESTS)
  if (names.length === 0) return "Mixed interests"
  if (names.length === 1) return names[0]
  return `${names.slice(0, -1).join(", ")} & ${names[names.length - 1]}`
}

function mean(points: number[][]): number[] {
  const out = new Array(points[0].length).fill(0)
  for (const p of points) p.forEach((x, i) => (out[i] += x / points.length))
  return out
}
