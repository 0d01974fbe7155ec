/**
 * The shipped ranker: one LambdaMART model per level (categories, products) over
 * the rows of ranking/features.ts, and the cold-start rule chosen on validation.
 * A method that uses fewer features (an ablation, the baseline-only ranker) keeps
 * the names of the columns it was trained on.
 */
import { RankerModel, contributions, scoreRows } from "./lambdamart"
import { CATEGORY_FEATURES, PRODUCT_FEATURES, Rows } from "./features"

export type Level = "category" | "product"

export const LEVEL_FEATURES: Record<Level, readonly string[]> = { category: CATEGORY_FEATURES, product: PRODUCT_FEATURES }

/**
 * How customers with little history are ranked: by popularity (decayed by periods),
 * by what is popular right now (decayed by hours), by what newcomers engage with
 * (products only), or by the ranker; each has to beat the simpler ones on the cold
 * queries to be used (ranking/fit-ranker.ts).
 */
export type ColdStart = "ranker" | "popularity" | "popularity_recent" | "newcomer"

export interface LevelRanker {
  /** Feature names the model reads, in its column order (a subset of LEVEL_FEATURES[level]). */
  features: string[]
  model: RankerModel
  cold: ColdStart
}

export interface InterestRanker {
  category: LevelRanker
  product: LevelRanker
}

const columnCache = new WeakMap<LevelRanker, Int32Array>()

function columns(r: LevelRanker, level: Level): Int32Array {
  let c = columnCache.get(r)
  if (!c) {
    const all = LEVEL_FEATURES[level]
    c = Int32Array.from(r.features, (f) => {
      const i = all.indexOf(f)
      if (i < 0) throw new Error(`The ranker reads feature "${f}", which this version does not compute.`)
      return i
    })
    columnCache.set(r, c)
  }
  return c
}

/** Columns `cols` of rows `width` wide, as the model's input. */
export function projectRows(x: Float32Array, width: number, cols: ArrayLike<number>): Float32Array {
  const F = width
  const n = x.length / F
  if (cols.length === F && Array.from(cols).every((c, i) => c === i)) return x
  const out = new Float32Array(n * cols.length)
  for (let j = 0; j < n; j++) for (let f = 0; f < cols.length; f++) out[j * cols.length + f] = x[j * F + cols[f]]
  return out
}

/** Far below any difference between two trees' outputs: only orders what the model scores the same. */
const TIE_BREAK = 1e-7

/**
 * The model's scores of full-width rows, ties broken by popularity: a tree
 * ensemble gives many candidates the same score, and their order must not come
 * from their index (which only says when an item first appeared in the data).
 */
export function modelScores(model: RankerModel, level: Level, x: Float32Array, cols: ArrayLike<number>): Float64Array {
  const all = LEVEL_FEATURES[level]
  const n = x.length / all.length
  const out = scoreRows(model, projectRows(x, all.length, cols), n)
  const pop = all.indexOf("popularity")
  for (let j = 0; j < n; j++) out[j] += TIE_BREAK * x[j * all.length + pop]
  return out
}

/** One feature column of full-width rows as scores (a fixed scorer such as a cold-start rule), ties broken by popularity. */
export function columnScores(level: Level, x: Float32Array, column: string): Float64Array {
  const all = LEVEL_FEATURES[level]
  const col = all.indexOf(column)
  if (col < 0) throw new Error(`Unknown ${level} feature "${column}".`)
  const pop = all.indexOf("popularity")
  const n = x.length / all.length
  return Float64Array.from({ length: n }, (_, j) => x[j * all.length + col] + TIE_BREAK * x[j * all.length + pop])
}

/** Scores of every candidate row; `cold` applies the level's cold-start rule instead of the model. */
export function levelScores(r: LevelRanker, level: Level, rows: Rows, cold: boolean): Float64Array {
  if (cold && r.cold !== "ranker") return columnScores(level, rows.x, r.cold)
  return modelScores(r.model, level, rows.x, columns(r, level))
}

/** Per-feature contributions to one candidate's score (names as in `r.features`). */
export function rowContributions(r: LevelRanker, level: Level, rows: Rows, j: number): Map<string, number> {
  const all = LEVEL_FEATURES[level]
  const cols = columns(r, level)
  const row = new Float32Array(cols.length)
  for (let f = 0; f < cols.length; f++) row[f] = rows.x[j * all.length + cols[f]]
  const c = contributions(r.model, row)
  return new Map(r.features.map((f, i) => [f, c[i]]))
}

/**
 * Candidates by decreasing score (ties: lower index first), then `fallback` (an
 * order of everything else, e.g. by popularity) for what the candidates leave.
 */
export function rankedList(
  candidates: Int32Array,
  scores: ArrayLike<number>,
  fallback: readonly number[],
  k: number,
  allowed: (i: number) => boolean = () => true
): number[] {
  const order = Array.from(candidates.keys())
    .filter((j) => allowed(candidates[j]))
    .sort((a, b) => scores[b] - scores[a] || candidates[a] - candidates[b])
  const out: number[] = []
  const taken = new Set<number>()
  for (const j of order) {
    if (out.length >= k) break
    out.push(candidates[j])
    taken.add(candidates[j])
  }
  for (const i of fallback) {
    if (out.length >= k) break
    if (!taken.has(i) && allowed(i)) {
      out.push(i)
      taken.add(i)
    }
  }
  return out
}
