/**
 * LambdaMART (Burges 2010): gradient-boosted regression trees fitted to the
 * LambdaRank gradients, which push each (more relevant, less relevant) pair of a
 * query apart in proportion to how much swapping them would change NDCG@k.
 *
 * Built for a few hundred thousand candidate rows in one Node process, so the
 * trees are LightGBM-style: features are quantile-binned once into bytes,
 * split search runs on per-leaf gradient histograms, leaves grow best-first and
 * only the smaller child of a split is histogrammed (the larger is the parent
 * minus it). Everything is deterministic: no Math.random, fixed iteration
 * orders, ties between equal gains go to the lowest feature then lowest bin.
 *
 * Gain of a label y is 2^y - 1 (the usual graded-relevance gain); with 0/1
 * labels that is the binary NDCG of evaluation/metrics.
 */
import { DEFAULT_ENGINE_OPTIONS, DEFAULT_RANKER_OPTIONS } from "../core/options"
import { DEFAULT_SEED, SeededRandom } from "../util/random"

export interface RankingSet {
  /** Row-major features, rows x nFeatures, all finite. */
  x: Float32Array
  nFeatures: number
  /** Query boundaries: the rows of query q are [groups[q], groups[q + 1]). */
  groups: Int32Array
  /** Relevance per row: 0 = not relevant, > 0 relevant (graded allowed). */
  y: Float32Array
}

export interface LambdaMartOptions {
  /** Max boosting rounds. */
  trees: number
  learningRate: number
  /** Leaf-wise (best-first) growth stops at this many leaves. */
  maxLeaves: number
  minLeafRows: number
  /** L2 on leaf values: a leaf's Newton step is -G / (H + l2). */
  l2: number
  /** Histogram bins per feature (<= 255), quantile edges from the training rows. */
  bins: number
  /** NDCG truncation, both for the lambda gradients and for early stopping. */
  k: number
  /** Stop after this many rounds without a better validation NDCG@k; the best iteration is kept. */
  earlyStopping: number
  /** Fraction of the queries each tree is grown on (seeded); 1 = all. */
  rowSample?: number
  seed: number
}

/** The engine's product-level ranker settings (core/options.ts), plus the learner's own. */
export const DEFAULT_LAMBDAMART_OPTIONS: LambdaMartOptions = Object.freeze({
  trees: DEFAULT_RANKER_OPTIONS.trees,
  learningRate: DEFAULT_RANKER_OPTIONS.learningRate,
  maxLeaves: DEFAULT_RANKER_OPTIONS.maxLeaves.product,
  minLeafRows: DEFAULT_RANKER_OPTIONS.minLeafRows,
  l2: 1,
  bins: 32,
  k: DEFAULT_ENGINE_OPTIONS.fitK.product,
  earlyStopping: 30,
  rowSample: 1,
  seed: DEFAULT_SEED,
})

/**
 * Node arrays. A leaf has feature -1 and its output in value; an internal node
 * also keeps value = its own (shrunk) output as if it were a leaf, which is what
 * contributions() measures changes against. A row goes left when
 * x[feature] <= threshold.
 */
export interface RankerTree {
  feature: number[]
  threshold: number[]
  left: number[]
  right: number[]
  value: number[]
}

/** Plain JSON: thresholds are feature values and values finite, so a JSON round trip scores identically. */
export interface RankerModel {
  format: "lambdamart/1"
  nFeatures: number
  trees: RankerTree[]
}

export interface LambdaMartReport {
  /** Trees kept in the model. */
  trees: number
  /** Rounds up to and including the best validation NDCG (all rounds without a validation set). */
  bestIteration: number
  /** Training NDCG@k of the kept model. */
  trainNdcg: number
  /** Validation NDCG@k of the kept model, null without a validation set. */
  validNdcg: number | null
  /** Trees built, including the ones early stopping discarded. */
  rounds: number
  durationMs: number
}

const FORMAT = "lambdamart/1"
/** Histogram cell: sum of gradients, sum of hessians, row count. */
const CELL = 3

// ---------------------------------------------------------------------------
// Validation

function assertPositiveInteger(value: number, name: string): void {
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got ${value}.`)
}

function resolveOptions(options: Partial<LambdaMartOptions> | undefined): Required<LambdaMartOptions> {
  const o: Required<LambdaMartOptions> = { ...(DEFAULT_LAMBDAMART_OPTIONS as Required<LambdaMartOptions>) }
  if (options) {
    for (const key of Object.keys(options) as (keyof LambdaMartOptions)[]) {
      // A misspelt option would otherwise silently train with the default.
      if (!Object.prototype.hasOwnProperty.call(DEFAULT_LAMBDAMART_OPTIONS, key)) throw new Error(`Unknown LambdaMART option "${String(key)}".`)
      const value = options[key]
      if (value !== undefined) o[key] = value
    }
  }
  assertPositiveInteger(o.trees, "trees")
  if (!(Number.isFinite(o.learningRate) && o.learningRate > 0)) throw new Error(`learningRate must be a positive number, got ${o.learningRate}.`)
  if (!Number.isInteger(o.maxLeaves) || o.maxLeaves < 2) throw new Error(`maxLeaves must be an integer >= 2, got ${o.maxLeaves}.`)
  assertPositiveInteger(o.minLeafRows, "minLeafRows")
  if (!(Number.isFinite(o.l2) && o.l2 >= 0)) throw new Error(`l2 must be a finite number >= 0, got ${o.l2}.`)
  if (!Number.isInteger(o.bins) || o.bins < 2 || o.bins > 255) throw new Error(`bins must be an integer in [2, 255], got ${o.bins}.`)
  assertPositiveInteger(o.k, "k")
  assertPositiveInteger(o.earlyStopping, "earlyStopping")
  if (!(o.rowSample > 0 && o.rowSample <= 1)) throw new Error(`rowSample must be in (0, 1], got ${o.rowSample}.`)
  if (!Number.isFinite(o.seed)) throw new Error(`seed must be a finite number, got ${o.seed}.`)
  return o
}

/** Returns the number of rows. */
function validateSet(set: RankingSet, name: string, nFeatures?: number): number {
  if (!set || !(set.x instanceof Float32Array) || !(set.y instanceof Float32Array) || !(set.groups instanceof Int32Array)) {
    throw new Error(`${name}: x and y must be Float32Arrays and groups an Int32Array.`)
  }
  if (!Number.isInteger(set.nFeatures) || set.nFeatures < 1) throw new Error(`${name}: nFeatures must be an integer >= 1, got ${set.nFeatures}.`)
  if (nFeatures !== undefined && set.nFeatures !== nFeatures) {
    throw new Error(`${name}: has ${set.nFeatures} features, the training set ${nFeatures}.`)
  }
  const rows = set.y.length
  if (set.x.length !== rows * set.nFeatures) {
    throw new Error(`${name}: x has ${set.x.length} values, expected ${rows} rows x ${set.nFeatures} features = ${rows * set.nFeatures}.`)
  }
  const g = set.groups
  if (g.length < 2 || g[0] !== 0 || g[g.length - 1] !== rows) {
    throw new Error(`${name}: groups must start at 0 and end at the row count (${rows}), with at least one query.`)
  }
  for (let q = 1; q < g.length; q++) if (g[q] < g[q - 1]) throw new Error(`${name}: groups must be non-decreasing (query ${q - 1}).`)
  const x = set.x
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) throw new Error(`${name}: feature ${i % set.nFeatures} of row ${Math.floor(i / set.nFeatures)} is not finite (${x[i]}).`)
  }
  for (let r = 0; r < rows; r++) {
    if (!(set.y[r] >= 0 && Number.isFinite(set.y[r]))) throw new Error(`${name}: label of row ${r} must be finite and >= 0, got ${set.y[r]}.`)
  }
  return rows
}

function assertModel(model: RankerModel): void {
  if (!model || model.format !== FORMAT) throw new Error(`Not a ${FORMAT} model.`)
}

function assertRowFits(model: RankerModel, x: ArrayLike<number>, offset: number): void {
  if (!Number.isInteger(offset) || offset < 0 || offset + model.nFeatures > x.length) {
    throw new Error(`Row at offset ${offset} needs ${model.nFeatures} features, the array has ${x.length} values.`)
  }
}

// ---------------------------------------------------------------------------
// NDCG

function gainOf(label: number): number {
  return Math.pow(2, label) - 1
}

function discounts(k: number): Float64Array {
  const d = new Float64Array(k)
  for (let i = 0; i < k; i++) d[i] = 1 / Math.log2(i + 2)
  return d
}

/**
 * Fills top[0..m) with the rows of [s, e) holding the m = min(k, e - s)
 * highest values, best first. Insertion into a k-long list instead of a sort:
 * only the top k have a discount, and scanning rows in increasing order with
 * strict comparisons puts the lower row first on ties for free.
 */
function selectTop(values: ArrayLike<number>, s: number, e: number, k: number, top: Int32Array): number {
  let m = 0
  for (let r = s; r < e; r++) {
    const v = values[r]
    let p: number
    if (m < k) p = m++
    else if (v > values[top[k - 1]]) p = k - 1
    else continue
    while (p > 0 && v > values[top[p - 1]]) {
      top[p] = top[p - 1]
      p--
    }
    top[p] = r
  }
  return m
}

/** Ideal DCG@k of one query from its own labels (0 when it has no relevant row). */
function idealDcg(y: Float32Array, s: number, e: number, disc: Float64Array, top: Int32Array): number {
  const m = selectTop(y, s, e, disc.length, top)
  let idcg = 0
  for (let p = 0; p < m; p++) idcg += gainOf(y[top[p]]) * disc[p]
  return idcg
}

/**
 * Mean NDCG@k over the queries with at least one relevant row (0 when there is
 * none). Ties in score go to the lower row index.
 */
export function meanNdcgAt(scores: ArrayLike<number>, set: RankingSet, k: number): number {
  assertPositiveInteger(k, "k")
  if (scores.length !== set.y.length) throw new Error(`meanNdcgAt: ${scores.length} scores for ${set.y.length} rows.`)
  const disc = discounts(k)
  const top = new Int32Array(k)
  const { groups, y } = set
  let sum = 0
  let counted = 0
  for (let q = 0; q + 1 < groups.length; q++) {
    const s = groups[q]
    const e = groups[q + 1]
    const idcg = idealDcg(y, s, e, disc, top)
    if (idcg === 0) continue
    const m = selectTop(scores, s, e, k, top)
    let dcg = 0
    for (let p = 0; p < m; p++) dcg += gainOf(y[top[p]]) * disc[p]
    sum += dcg / idcg
    counted++
  }
  return counted === 0 ? 0 : sum / counted
}

// ---------------------------------------------------------------------------
// Binning

/** Distinct upper bin edges at the quantiles of a sorted column (the last one is its maximum). */
function quantileEdges(sorted: Float32Array, bins: number): Float64Array {
  const n = sorted.length
  const out: number[] = []
  for (let i = 1; i <= bins; i++) {
    const v = sorted[Math.ceil((i * n) / bins) - 1]
    if (out.length === 0 || v > out[out.length - 1]) out.push(v)
  }
  return Float64Array.from(out)
}

/**
 * First bin whose upper edge is >= v, so bin(v) <= b exactly when v <= edges[b]:
 * a threshold on bins is a threshold on values. `padded` is the edges padded
 * with +Infinity to a power of two; the fixed-step search with 0/1 arithmetic
 * compiles without data-dependent branches: measured three times as fast as a
 * plain binary search over millions of random values.
 */
function binOf(v: number, padded: Float64Array, nEdges: number): number {
  let i = 0
  for (let step = padded.length >> 1; step > 0; step >>= 1) i += +(padded[i + step - 1] < v) * step
  // Above the last edge (possible with sampled edges): the last bin.
  return i < nEdges ? i : nEdges - 1
}

function padToPowerOfTwo(edges: Float64Array): Float64Array {
  let size = 1
  while (size < edges.length) size <<= 1
  const out = new Float64Array(size).fill(Infinity)
  out.set(edges)
  return out
}

/** Histograms are built this many features per pass (see buildHistogram). */
const FEATURE_GROUP = 8

interface Binned {
  /** Column-major bin codes: codes[f * rows + r]; a histogram pass reads one feature's bytes contiguously. */
  codes: Uint8Array
  /**
   * nFeatures rounded up to FEATURE_GROUP: the extra columns are all bin 0 and
   * never split on, so the histogram loop needs no remainder case.
   */
  columns: number
  edges: Float64Array[]
  /** Widest feature's bin count, the histogram stride. */
  maxBins: number
}

/**
 * Quantiles from at most this many rows: sorting every full column costs
 * about 40 ms per feature at 300k rows, and 32 edges do not need more.
 */
const EDGE_SAMPLE_ROWS = 50000

function binFeatures(set: RankingSet, rows: number, bins: number, rng: SeededRandom): Binned {
  const nF = set.nFeatures
  const x = set.x
  const columns = Math.ceil(nF / FEATURE_GROUP) * FEATURE_GROUP
  const codes = new Uint8Array(columns * rows)
  const sample = rows > EDGE_SAMPLE_ROWS ? Int32Array.from(rng.sampleIndices(rows, EDGE_SAMPLE_ROWS)) : null
  const column = new Float32Array(sample ? sample.length : rows)
  const edges: Float64Array[] = []
  let maxBins = 1
  for (let f = 0; f < nF; f++) {
    if (sample) for (let i = 0; i < sample.length; i++) column[i] = x[sample[i] * nF + f]
    else for (let r = 0; r < rows; r++) column[r] = x[r * nF + f]
    column.sort()
    // Rows above the last (sampled) edge land in the last bin, which is never a
    // left side, so bin <= b still means value <= edges[b] for every split.
    const e = quantileEdges(column, bins)
    edges.push(e)
    if (e.length > maxBins) maxBins = e.length
  }
  const padded = edges.map(padToPowerOfTwo)
  // Row by row: reads x in its own order, one pass instead of a strided pass per feature.
  for (let r = 0, i = 0; r < rows; r++) {
    for (let f = 0; f < nF; f++, i++) codes[f * rows + r] = binOf(x[i], padded[f], edges[f].length)
  }
  return { codes, columns, edges, maxBins }
}

// ---------------------------------------------------------------------------
// Lambda gradients

interface Queries {
  groups: Int32Array
  /** 1 / ideal DCG@k per query; 0 for queries without a pair to order (no relevant row, or one label for all rows). */
  invIdcg: Float64Array
}

function prepareQueries(set: RankingSet, disc: Float64Array): Queries {
  const { groups, y } = set
  const nq = groups.length - 1
  const invIdcg = new Float64Array(nq)
  const top = new Int32Array(disc.length)
  for (let q = 0; q < nq; q++) {
    const s = groups[q]
    const e = groups[q + 1]
    let lo = Infinity
    let hi = -Infinity
    for (let r = s; r < e; r++) {
      if (y[r] < lo) lo = y[r]
      if (y[r] > hi) hi = y[r]
    }
    if (!(hi > lo)) continue
    invIdcg[q] = 1 / idealDcg(y, s, e, disc, top)
  }
  return { groups, invIdcg }
}

interface LambdaScratch {
  top: Int32Array
  /** Discount of each row at its current rank (0 beyond k). */
  rankDisc: Float64Array
  expScore: Float64Array
}

/** Below this, a ratio of exponentials loses precision (subnormals). */
const MIN_EXP = 1e-300

/**
 * Accumulates, for the given queries, the LambdaRank gradient g and hessian h
 * of every row. Only pairs with y_i > y_j exist, and then i is relevant, so the
 * outer loop runs over relevant rows only: at most O(relevant x rows) per query.
 */
function computeLambdas(
  queries: Queries,
  sampled: Int32Array,
  nSampled: number,
  y: Float32Array,
  gain: Float64Array,
  scores: Float64Array,
  disc: Float64Array,
  g: Float64Array,
  h: Float64Array,
  scratch: LambdaScratch
): void {
  const { groups, invIdcg } = queries
  const { top, rankDisc, expScore } = scratch
  const k = disc.length
  for (let qi = 0; qi < nSampled; qi++) {
    const q = sampled[qi]
    const inv = invIdcg[q]
    if (inv === 0) continue
    const s = groups[q]
    const e = groups[q + 1]
    const m = selectTop(scores, s, e, k, top)
    const best = scores[top[0]]
    for (let r = s; r < e; r++) {
      rankDisc[r] = 0
      // exp(s_i - s_j) = expScore[i] / expScore[j]: one exp per row instead of
      // one per pair, which was most of the gradient time. Relative to the
      // query's best score so that nothing overflows.
      expScore[r] = Math.exp(scores[r] - best)
    }
    for (let p = 0; p < m; p++) rankDisc[top[p]] = disc[p]
    for (let i = s; i < e; i++) {
      const yi = y[i]
      if (yi <= 0) continue
      const si = scores[i]
      const ei = expScore[i]
      const di = rankDisc[i]
      const gi = gain[i]
      let gSum = 0
      let hSum = 0
      // Below the top k a pair only matters if the other row is in the top k,
      // so such rows pair with the k listed rows instead of the whole query.
      const beyond = di === 0
      const last = beyond ? m : e
      for (let t = beyond ? 0 : s; t < last; t++) {
        const j = beyond ? top[t] : t
        if (y[j] >= yi) continue
        const dd = di - rankDisc[j]
        // Both beyond k: swapping them leaves NDCG@k unchanged.
        if (dd === 0) continue
        const delta = (gi - gain[j]) * (dd < 0 ? -dd : dd) * inv
        const ej = expScore[j]
        // A row far below the query's best score (subnormal or 0): the ratio is imprecise, use the exact form.
        const rho = 1 / (1 + (ei > MIN_EXP && ej > MIN_EXP ? ei / ej : Math.exp(si - scores[j])))
        const lambda = rho * delta
        const hess = rho * (1 - rho) * delta
        gSum -= lambda
        hSum += hess
        g[j] += lambda
        h[j] += hess
      }
      g[i] += gSum
      h[i] += hSum
    }
  }
}

// ---------------------------------------------------------------------------
// Tree growth

/** Buffers reused by every tree of a fit, so growing a tree allocates almost nothing. */
interface Workspace {
  rows: number
  nFeatures: number
  binned: Binned
  /** Rows of the current tree; each leaf owns the contiguous range [leafBegin, leafEnd). */
  order: Int32Array
  tmp: Int32Array
  gOrd: Float64Array
  hOrd: Float64Array
  /** One histogram slot per leaf: columns x maxBins cells. */
  hist: Float64Array
  slotSize: number
  leafBegin: Int32Array
  leafEnd: Int32Array
  leafNode: Int32Array
  leafSlot: Int32Array
  leafG: Float64Array
  leafH: Float64Array
  bestGain: Float64Array
  bestFeature: Int32Array
  bestBin: Int32Array
  bestGL: Float64Array
  bestHL: Float64Array
  bestCL: Float64Array
}

function createWorkspace(rows: number, nFeatures: number, binned: Binned, maxLeaves: number): Workspace {
  const slotSize = binned.columns * binned.maxBins * CELL
  return {
    rows,
    nFeatures,
    binned,
    order: new Int32Array(rows),
    tmp: new Int32Array(rows),
    gOrd: new Float64Array(rows),
    hOrd: new Float64Array(rows),
    hist: new Float64Array(slotSize * maxLeaves),
    slotSize,
    leafBegin: new Int32Array(maxLeaves),
    leafEnd: new Int32Array(maxLeaves),
    leafNode: new Int32Array(maxLeaves),
    leafSlot: new Int32Array(maxLeaves),
    leafG: new Float64Array(maxLeaves),
    leafH: new Float64Array(maxLeaves),
    bestGain: new Float64Array(maxLeaves),
    bestFeature: new Int32Array(maxLeaves),
    bestBin: new Int32Array(maxLeaves),
    bestGL: new Float64Array(maxLeaves),
    bestHL: new Float64Array(maxLeaves),
    bestCL: new Float64Array(maxLeaves),
  }
}

/** G^2 / (H + l2), the loss reduction of a leaf's Newton step; 0 when there is no curvature to divide by. */
function splitTerm(G: number, H: number, l2: number): number {
  const d = H + l2
  return d > 0 ? (G * G) / d : 0
}

function leafValue(G: number, H: number, l2: number, learningRate: number): number {
  const d = H + l2
  // Negative gradient = "should score higher", so the step is -G / (H + l2).
  return d > 0 ? (-G / d) * learningRate : 0
}

function buildHistogram(ws: Workspace, slot: number, begin: number, end: number, g: Float64Array, h: Float64Array): void {
  const { order, gOrd, hOrd, hist, rows } = ws
  const { codes, columns } = ws.binned
  const stride = ws.binned.maxBins * CELL
  const base0 = slot * ws.slotSize
  hist.fill(0, base0, base0 + ws.slotSize)
  const m = end - begin
  // Gather once so the per-feature passes read gradients sequentially.
  for (let i = 0; i < m; i++) {
    const r = order[begin + i]
    gOrd[i] = g[r]
    hOrd[i] = h[r]
  }
  // Eight features per pass share the loads of the row index and its
  // gradients: measured 1.6x faster than one feature per pass at 300k rows
  // (and 1.25x faster than four).
  for (let f = 0; f < columns; f += FEATURE_GROUP) {
    const col = f * rows
    const hb = base0 + f * stride
    for (let i = 0; i < m; i++) {
      const r = col + order[begin + i]
      const gi = gOrd[i]
      const hi = hOrd[i]
      let c = hb + codes[r] * CELL
      hist[c] += gi
      hist[c + 1] += hi
      hist[c + 2] += 1
      c = hb + stride + codes[r + rows] * CELL
      hist[c] += gi
      hist[c + 1] += hi
      hist[c + 2] += 1
      c = hb + 2 * stride + codes[r + 2 * rows] * CELL
      hist[c] += gi
      hist[c + 1] += hi
      hist[c + 2] += 1
      c = hb + 3 * stride + codes[r + 3 * rows] * CELL
      hist[c] += gi
      hist[c + 1] += hi
      hist[c + 2] += 1
      c = hb + 4 * stride + codes[r + 4 * rows] * CELL
      hist[c] += gi
      hist[c + 1] += hi
      hist[c + 2] += 1
      c = hb + 5 * stride + codes[r + 5 * rows] * CELL
      hist[c] += gi
      hist[c + 1] += hi
      hist[c + 2] += 1
      c = hb + 6 * stride + codes[r + 6 * rows] * CELL
      hist[c] += gi
      hist[c + 1] += hi
      hist[c + 2] += 1
      c = hb + 7 * stride + codes[r + 7 * rows] * CELL
      hist[c] += gi
      hist[c + 1] += hi
      hist[c + 2] += 1
    }
  }
}

/** target -= source, cell by cell: the larger child's histogram from its parent's. */
function subtractHistogram(ws: Workspace, target: number, source: number): void {
  const hist = ws.hist
  const t = target * ws.slotSize
  const s = source * ws.slotSize
  for (let i = 0; i < ws.slotSize; i++) hist[t + i] -= hist[s + i]
}

/** Best split of a leaf; strict > keeps the lowest feature, then lowest bin, among equal gains. */
function findBestSplit(ws: Workspace, leaf: number, minLeafRows: number, l2: number): void {
  const { hist, leafG, leafH, nFeatures } = ws
  const edges = ws.binned.edges
  const stride = ws.binned.maxBins * CELL
  const G = leafG[leaf]
  const H = leafH[leaf]
  const C = ws.leafEnd[leaf] - ws.leafBegin[leaf]
  let best = 0
  let bestF = -1
  let bestB = -1
  let bestGL = 0
  let bestHL = 0
  let bestCL = 0
  if (C >= 2 * minLeafRows) {
    const parent = splitTerm(G, H, l2)
    const base0 = ws.leafSlot[leaf] * ws.slotSize
    for (let f = 0; f < nFeatures; f++) {
      const nb = edges[f].length
      let c = base0 + f * stride
      let GL = 0
      let HL = 0
      let CL = 0
      for (let b = 0; b < nb - 1; b++, c += CELL) {
        GL += hist[c]
        HL += hist[c + 1]
        CL += hist[c + 2]
        if (CL < minLeafRows) continue
        if (C - CL < minLeafRows) break
        const gain = splitTerm(GL, HL, l2) + splitTerm(G - GL, H - HL, l2) - parent
        if (gain > best) {
          best = gain
          bestF = f
          bestB = b
          bestGL = GL
          bestHL = HL
          bestCL = CL
        }
      }
    }
  }
  ws.bestGain[leaf] = best
  ws.bestFeature[leaf] = bestF
  ws.bestBin[leaf] = bestB
  ws.bestGL[leaf] = bestGL
  ws.bestHL[leaf] = bestHL
  ws.bestCL[leaf] = bestCL
}

/** Stable in-place partition of a leaf's rows: bin <= cut first. Returns the first right row. */
function partitionRows(ws: Workspace, begin: number, end: number, feature: number, cut: number): number {
  const { order, tmp } = ws
  const codes = ws.binned.codes
  const col = feature * ws.rows
  let w = begin
  let nr = 0
  for (let i = begin; i < end; i++) {
    const r = order[i]
    if (codes[col + r] <= cut) order[w++] = r
    else tmp[nr++] = r
  }
  order.set(tmp.subarray(0, nr), w)
  return w
}

interface GrownTree {
  tree: RankerTree
  /** Split bin per node (-1 at leaves), to route training rows on their codes. */
  splitBin: number[]
  leaves: number
}

function addNode(tree: RankerTree, splitBin: number[], value: number): number {
  tree.feature.push(-1)
  tree.threshold.push(0)
  tree.left.push(-1)
  tree.right.push(-1)
  tree.value.push(value)
  splitBin.push(-1)
  return tree.feature.length - 1
}

/** Grows one tree, best leaf first, on the rows ws.order[0..n). Leaves stay described in ws for the score update. */
function growTree(ws: Workspace, n: number, g: Float64Array, h: Float64Array, o: Required<LambdaMartOptions>): GrownTree {
  const tree: RankerTree = { feature: [], threshold: [], left: [], right: [], value: [] }
  const splitBin: number[] = []
  const { order, leafBegin, leafEnd, leafNode, leafSlot, leafG, leafH, bestGain } = ws
  let G = 0
  let H = 0
  for (let i = 0; i < n; i++) {
    G += g[order[i]]
    H += h[order[i]]
  }
  leafBegin[0] = 0
  leafEnd[0] = n
  leafG[0] = G
  leafH[0] = H
  leafSlot[0] = 0
  leafNode[0] = addNode(tree, splitBin, leafValue(G, H, o.l2, o.learningRate))
  buildHistogram(ws, 0, 0, n, g, h)
  findBestSplit(ws, 0, o.minLeafRows, o.l2)
  let leaves = 1
  while (leaves < o.maxLeaves) {
    let p = -1
    for (let l = 0; l < leaves; l++) if (bestGain[l] > 0 && (p < 0 || bestGain[l] > bestGain[p])) p = l
    if (p < 0) break
    const f = ws.bestFeature[p]
    const cut = ws.bestBin[p]
    const begin = leafBegin[p]
    const end = leafEnd[p]
    const mid = partitionRows(ws, begin, end, f, cut)
    const GL = ws.bestGL[p]
    const HL = ws.bestHL[p]
    const GR = leafG[p] - GL
    const HR = leafH[p] - HL
    const node = leafNode[p]
    const leftNode = addNode(tree, splitBin, leafValue(GL, HL, o.l2, o.learningRate))
    const rightNode = addNode(tree, splitBin, leafValue(GR, HR, o.l2, o.learningRate))
    tree.feature[node] = f
    tree.threshold[node] = ws.binned.edges[f][cut]
    tree.left[node] = leftNode
    tree.right[node] = rightNode
    splitBin[node] = cut
    // The left child takes over the parent's leaf index, the right one is new.
    const r = leaves++
    const parentSlot = leafSlot[p]
    leafBegin[r] = mid
    leafEnd[r] = end
    leafEnd[p] = mid
    leafG[p] = GL
    leafH[p] = HL
    leafG[r] = GR
    leafH[r] = HR
    leafNode[p] = leftNode
    leafNode[r] = rightNode
    const leftSmaller = mid - begin <= end - mid
    const small = leftSmaller ? p : r
    const large = leftSmaller ? r : p
    leafSlot[small] = r
    leafSlot[large] = parentSlot
    buildHistogram(ws, r, leafBegin[small], leafEnd[small], g, h)
    subtractHistogram(ws, parentSlot, r)
    findBestSplit(ws, p, o.minLeafRows, o.l2)
    findBestSplit(ws, r, o.minLeafRows, o.l2)
  }
  return { tree, splitBin, leaves }
}

// ---------------------------------------------------------------------------
// Scoring

function treeOutput(tree: RankerTree, x: ArrayLike<number>, offset: number): number {
  const { feature, threshold, left, right, value } = tree
  let node = 0
  let f = feature[0]
  while (f >= 0) {
    node = x[offset + f] <= threshold[node] ? left[node] : right[node]
    f = feature[node]
  }
  return value[node]
}

/** Score of the row starting at x[offset]. */
export function scoreRow(model: RankerModel, x: ArrayLike<number>, offset = 0): number {
  assertModel(model)
  assertRowFits(model, x, offset)
  let s = 0
  for (let t = 0; t < model.trees.length; t++) s += treeOutput(model.trees[t], x, offset)
  return s
}

/** Scores of nRows row-major rows; adds trees in the same order as scoreRow, so the two agree bit for bit. */
export function scoreRows(model: RankerModel, x: Float32Array, nRows: number): Float64Array {
  assertModel(model)
  if (!Number.isInteger(nRows) || nRows < 0 || x.length < nRows * model.nFeatures) {
    throw new Error(`scoreRows: ${nRows} rows x ${model.nFeatures} features need ${nRows * model.nFeatures} values, got ${x.length}.`)
  }
  const out = new Float64Array(nRows)
  const nF = model.nFeatures
  for (const tree of model.trees) for (let r = 0; r < nRows; r++) out[r] += treeOutput(tree, x, r * nF)
  return out
}

/**
 * Saabas-style contributions: along the row's path in each tree, the change of
 * node value from parent to child is credited to the parent's split feature.
 * sum(contributions) + sum of the trees' root values = score.
 */
export function contributions(model: RankerModel, x: ArrayLike<number>, offset = 0): Float64Array {
  assertModel(model)
  assertRowFits(model, x, offset)
  const out = new Float64Array(model.nFeatures)
  for (const tree of model.trees) {
    const { feature, threshold, left, right, value } = tree
    let node = 0
    while (feature[node] >= 0) {
      const f = feature[node]
      const child = x[offset + f] <= threshold[node] ? left[node] : right[node]
      out[f] += value[child] - value[node]
      node = child
    }
  }
  return out
}

// ---------------------------------------------------------------------------
// Fitting

/** Puts the rows of the sampled queries into ws.order; returns how many. */
function fillOrder(ws: Workspace, groups: Int32Array, sampled: Int32Array, nSampled: number): number {
  let n = 0
  for (let qi = 0; qi < nSampled; qi++) {
    const q = sampled[qi]
    for (let r = groups[q]; r < groups[q + 1]; r++) ws.order[n++] = r
  }
  return n
}

/**
 * Adds the new tree to the training scores: rows it was grown on from their
 * leaf ranges, the others (query sampling) by routing their bin codes.
 */
function updateTrainScores(ws: Workspace, grown: GrownTree, n: number, scores: Float64Array, inSample: Uint8Array): void {
  const { order, leafBegin, leafEnd, leafNode } = ws
  const value = grown.tree.value
  for (let l = 0; l < grown.leaves; l++) {
    const v = value[leafNode[l]]
    for (let i = leafBegin[l]; i < leafEnd[l]; i++) scores[order[i]] += v
  }
  if (n === ws.rows) return
  const { feature, left, right } = grown.tree
  const splitBin = grown.splitBin
  const codes = ws.binned.codes
  for (let r = 0; r < ws.rows; r++) {
    if (inSample[r]) continue
    let node = 0
    while (feature[node] >= 0) node = codes[feature[node] * ws.rows + r] <= splitBin[node] ? left[node] : right[node]
    scores[r] += value[node]
  }
}

function addTreeScores(tree: RankerTree, set: RankingSet, scores: Float64Array): void {
  const nF = set.nFeatures
  for (let r = 0; r < scores.length; r++) scores[r] += treeOutput(tree, set.x, r * nF)
}

/**
 * Fits a LambdaMART ranker. With `valid`, stops after `earlyStopping` rounds
 * without a better validation NDCG@k and keeps the trees up to the best round;
 * without it, runs all `trees` rounds. Boosting also ends early when a tree
 * finds no split with positive gain (the gradients have nothing left to say).
 */
export function fitLambdaMart(
  train: RankingSet,
  valid: RankingSet | undefined,
  options?: Partial<LambdaMartOptions>
): { model: RankerModel; report: LambdaMartReport } {
  const started = Date.now()
  const o = resolveOptions(options)
  const rows = validateSet(train, "train")
  if (rows === 0) throw new Error("train: needs at least one row.")
  if (valid) {
    validateSet(valid, "valid", train.nFeatures)
    // Otherwise every round would score 0 and early stopping would keep one arbitrary tree.
    if (!valid.y.some((v) => v > 0)) {
      throw new Error("valid: has no relevant row, so early stopping has nothing to measure.")
    }
  }

  const disc = discounts(o.k)
  const queries = prepareQueries(train, disc)
  const nQueries = train.groups.length - 1
  const gain = new Float64Array(rows)
  for (let r = 0; r < rows; r++) gain[r] = gainOf(train.y[r])

  const rng = new SeededRandom(o.seed)
  const binned = binFeatures(train, rows, o.bins, rng)
  const ws = createWorkspace(rows, train.nFeatures, binned, o.maxLeaves)
  const g = new Float64Array(rows)
  const h = new Float64Array(rows)
  const scratch: LambdaScratch = { top: new Int32Array(o.k), rankDisc: new Float64Array(rows), expScore: new Float64Array(rows) }
  const trainScores = new Float64Array(rows)
  const validScores = valid ? new Float64Array(valid.y.length) : null
  const sampled = new Int32Array(nQueries)
  const inSample = new Uint8Array(rows)
  const sampleCount = Math.max(1, Math.round(o.rowSample * nQueries))

  const trees: RankerTree[] = []
  let bestIteration = 0
  let bestValid = -Infinity
  let bestTrain = 0
  for (let round = 1; round <= o.trees; round++) {
    let nSampled = nQueries
    if (sampleCount < nQueries) {
      const picked = rng.sampleIndices(nQueries, sampleCount)
      for (let i = 0; i < picked.length; i++) sampled[i] = picked[i]
      nSampled = picked.length
    } else {
      for (let q = 0; q < nQueries; q++) sampled[q] = q
    }
    const n = fillOrder(ws, train.groups, sampled, nSampled)
    if (n < rows) {
      inSample.fill(0)
      for (let i = 0; i < n; i++) inSample[ws.order[i]] = 1
    }
    g.fill(0)
    h.fill(0)
    computeLambdas(queries, sampled, nSampled, train.y, gain, trainScores, disc, g, h, scratch)
    const grown = growTree(ws, n, g, h, o)
    if (grown.leaves < 2) break
    trees.push(grown.tree)
    updateTrainScores(ws, grown, n, trainScores, inSample)
    if (valid && validScores) {
      addTreeScores(grown.tree, valid, validScores)
      const ndcg = meanNdcgAt(validScores, valid, o.k)
      if (ndcg > bestValid) {
        bestValid = ndcg
        bestIteration = round
        bestTrain = meanNdcgAt(trainScores, train, o.k)
      } else if (round - bestIteration >= o.earlyStopping) {
        break
      }
    }
  }
  const rounds = trees.length
  if (!valid) {
    bestIteration = rounds
    bestTrain = meanNdcgAt(trainScores, train, o.k)
  } else if (bestIteration === 0) {
    // No tree was grown: report the all-zero model.
    bestTrain = meanNdcgAt(trainScores, train, o.k)
    bestValid = meanNdcgAt(new Float64Array(valid.y.length), valid, o.k)
  }
  const kept = trees.slice(0, bestIteration)
  return {
    model: { format: FORMAT, nFeatures: train.nFeatures, trees: kept },
    report: {
      trees: kept.length,
      bestIteration,
      trainNdcg: bestTrain,
      validNdcg: valid ? bestValid : null,
      rounds,
      durationMs: Date.now() - started,
    },
  }
}
