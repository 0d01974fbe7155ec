/**
 * Blending signals into scores, and fitting the blend weights on a validation
 * split (never on the test period). Every signal is scaled to max 1 per customer,
 * so a weight says how much that signal counts relative to the others.
 */
import { ndcg } from "../evaluation/metrics"
import { Stage } from "../pipeline/stage"
import { pushTopK, SparseVector, topKDense } from "../util/vectors"
import {
  CATEGORY_SIGNALS,
  CategorySignal,
  CustomerSignals,
  PRODUCT_SIGNALS,
  ProductSignal,
  SPARSE_PRODUCT_SIGNALS,
  SparseProductSignal,
} from "./signals"

export interface BlendWeights {
  category: Partial<Record<CategorySignal, number>>
  product: Partial<Record<ProductSignal, number>>
}

/** Separate weights for customers with little history (cold) and the rest. */
export interface CohortBlend {
  cold: BlendWeights
  warm: BlendWeights
}

/** Popularity as a tie-breaker: items no signal knows about are ordered by it. */
const TIE_BREAK = 1e-9

export function popularityNorms(stage: Stage): { category: Float64Array; product: Float64Array } {
  const norm = (a: Float64Array): Float64Array => {
    let m = 0
    for (const x of a) if (x > m) m = x
    return m > 0 ? a.map((x) => x / m) : new Float64Array(a.length)
  }
  return { category: norm(stage.popularity.category), product: norm(stage.popularity.product) }
}

/** Categories worth scoring: everything some sparse signal knows plus the popular ones. */
export function categoryCandidates(stage: Stage, sig: CustomerSignals): number[] {
  const set = new Set<number>(stage.topCategories)
  for (const v of Object.values(sig.category)) for (const k of v.keys()) set.add(k)
  return [...set].sort((a, b) => a - b)
}

/** Blended category scores over the candidates (a sparse map; absent = popularity only). */
export function blendCategories(
  stage: Stage,
  popNorm: Float64Array,
  sig: CustomerSignals,
  w: BlendWeights["category"]
): Map<number, number> {
  const out = new Map<number, number>()
  const wp = w.popularity ?? 0
  for (const c of categoryCandidates(stage, sig)) {
    let s = (wp + TIE_BREAK) * (popNorm[c] ?? 0)
    for (const name of CATEGORY_SIGNALS) {
      if (name === "popularity") continue
      const wn = w[name]
      if (wn) s += wn * (sig.category[name].get(c) ?? 0)
    }
    out.set(c, s)
  }
  return out
}

/** Top-k keys of a score map (ties: lower index first). */
export function topOfMap(scores: Map<number, number>, k: number, allowed?: (i: number) => boolean): number[] {
  return [...scores.entries()]
    .filter(([i]) => !allowed || allowed(i))
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, k)
    .map((e) => e[0])
}

/**
 * interest(p) = sum over p's categories c of I(c) * share(p | c), with
 *   share(p | c) = (pop(p) + s) / (mass(c) + s * size(c))   (smoothed within-category popularity)
 * i.e. "pick a category the customer is into, then a product popular in it".
 * Dense over the full catalogue, scaled to max 1.
 */
export function interestTerm(stage: Stage, categoryScores: Map<number, number>, out?: Float64Array): Float64Array {
  const n = stage.productIds.length
  const res = out ?? new Float64Array(n)
  res.fill(0)
  const pop = stage.popularity.product
  const mass = stage.popularity.categoryMass
  const smooth = 0.1
  let m = 0
  for (let p = 0; p < n; p++) {
    const cats = stage.productCategories[p]
    let s = 0
    for (let j = 0; j < cats.length; j++) {
      const i = categoryScores.get(cats[j])
      if (i) s += (i * (pop[p] + smooth)) / (mass[cats[j]] + smooth * stage.categorySize[cats[j]])
    }
    res[p] = s
    if (s > m) m = s
  }
  if (m > 0) for (let p = 0; p < n; p++) res[p] /= m
  return res
}

/**
 * own_interest(p) = repeat_item(p) * max over p's categories c of score(c) / max score:
 * the customer's own items, weighted by how strongly the blended category scores
 * expect each item's category next. Where the category blend predicts a shift
 * (the LSTM, the ranker, Markov), items of the rising categories move up among
 * the customer's own, which a sum of the two signals cannot express. Scaled to max 1.
 */
export function ownInterestTerm(stage: Stage, sig: CustomerSignals, categoryScores: Map<number, number>): SparseVector {
  let top = 0
  for (const v of categoryScores.values()) if (v > top) top = v
  const raw: SparseVector = new Map()
  if (top <= 0) return raw
  let m = 0
  for (const [p, r] of sig.product.repeat_item) {
    let best = 0
    for (const c of stage.productCategories[p]) best = Math.max(best, categoryScores.get(c) ?? 0)
    const x = (r * best) / top
    if (x > 0) {
      raw.set(p, x)
      if (x > m) m = x
    }
  }
  for (const [p, x] of raw) raw.set(p, x / m)
  return raw
}

/** The product terms derived from the category scores (interestTerm, ownInterestTerm). */
export interface DerivedProductTerms {
  interest: Float64Array
  ownInterest: SparseVector
}

/**
 * Dense product scores over the full catalogue. `terms`: the derived terms of these
 * category scores when the caller has them already (recommend explains with them),
 * so they are not computed twice.
 */
export function scoreProducts(
  stage: Stage,
  popNorm: Float64Array,
  sig: CustomerSignals,
  categoryScores: Map<number, number>,
  w: BlendWeights["product"],
  out?: Float64Array,
  terms?: DerivedProductTerms
): Float64Array {
  const n = stage.productIds.length
  const scores = out ?? new Float64Array(n)
  const wi = w.interest ?? 0
  const wp = (w.popularity ?? 0) + TIE_BREAK
  if (wi) {
    const interest = terms?.interest ?? interestTerm(stage, categoryScores, scores)
    for (let p = 0; p < n; p++) scores[p] = wi * interest[p] + wp * popNorm[p]
  } else for (let p = 0; p < n; p++) scores[p] = wp * popNorm[p]
  for (const name of SPARSE_PRODUCT_SIGNALS) {
    const wn = w[name]
    if (!wn) continue
    for (const [p, x] of sig.product[name]) scores[p] += wn * x
  }
  if (w.own_interest) {
    for (const [p, x] of terms?.ownInterest ?? ownInterestTerm(stage, sig, categoryScores)) scores[p] += w.own_interest * x
  }
  return scores
}

// ---------------------------------------------------------------- fitting

/** One validation customer, with every signal evaluated on a candidate set. */
export interface FitExample {
  candidates: Int32Array
  /** features[s][j] = signal s on candidate j (order of the names passed to fitBlend). */
  features: Float64Array[]
  tieBreak: Float64Array
  relevant: Set<number>
  /**
   * The customer the example belongs to. A customer may give several examples (one
   * per validation period); the significance rule averages per customer first, so
   * those are not counted as independent.
   */
  group?: number
}

export interface FitResult {
  weights: Record<string, number>
  /** Mean NDCG@k on the examples with the fitted weights. */
  score: number
}

const GRID = [0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2.5, 5, 10]

/** NDCG@k of a weight vector (in `names` order) on each fit example. */
export function exampleNdcg(examples: FitExample[], w: number[], k: number): Float64Array {
  const out = new Float64Array(examples.length)
  const topIdx: number[] = []
  const topVal: number[] = []
  const active: number[] = []
  for (let f = 0; f < w.length; f++) if (w[f] !== 0) active.push(f)
  examples.forEach((ex, e) => {
    topIdx.length = 0
    topVal.length = 0
    const n = ex.candidates.length
    for (let j = 0; j < n; j++) {
      let s = TIE_BREAK * ex.tieBreak[j]
      for (let a = 0; a < active.length; a++) s += w[active[a]] * ex.features[active[a]][j]
      pushTopK(topIdx, topVal, k, ex.candidates[j], s)
    }
    out[e] = ndcg(topIdx, ex.relevant, k)
  })
  return out
}

/** Each example's scores under `w` with feature `skip` left out (what a coordinate step varies). */
function baseScores(examples: FitExample[], w: number[], skip: number): Float64Array[] {
  const active: number[] = []
  for (let f = 0; f < w.length; f++) if (w[f] !== 0 && f !== skip) active.push(f)
  return examples.map((ex) => {
    const n = ex.candidates.length
    const s = new Float64Array(n)
    for (let j = 0; j < n; j++) {
      let x = TIE_BREAK * ex.tieBreak[j]
      for (let a = 0; a < active.length; a++) x += w[active[a]] * ex.features[active[a]][j]
      s[j] = x
    }
    return s
  })
}

/**
 * The candidate positions (ascending) a coordinate trial on feature i has to score,
 * for every grid value up to `gMax`: features are non-negative, so the k-th best
 * score of base + g * f is at least the k-th best base, T; a candidate with
 * base + gMax * f below T can never reach a top k. Prepared once per coordinate
 * step, this leaves the trials the candidates near the top instead of all of them;
 * scanning them in position order keeps the full scan's tie-breaking, so the top k
 * is exactly the same. When none of them is relevant, NDCG is 0 whatever g is and
 * nothing is left to scan.
 */
export function trialPositions(ex: FitExample, base: Float64Array, f: Float64Array, k: number, gMax: number): Int32Array {
  const n = base.length
  // The bound needs g * f >= 0; every signal is scaled to [0, 1], but a negative one must not break the fit.
  if (n <= k || f.some((x) => x < 0)) return Int32Array.from({ length: n }, (_, j) => j)
  const topIdx: number[] = []
  const topVal: number[] = []
  for (let j = 0; j < n; j++) pushTopK(topIdx, topVal, k, j, base[j])
  const threshold = topVal[k - 1]
  const keep: number[] = []
  let reachable = false
  for (let j = 0; j < n; j++) {
    if (base[j] + gMax * f[j] >= threshold) {
      keep.push(j)
      if (!reachable && ex.relevant.has(ex.candidates[j])) reachable = true
    }
  }
  // No relevant candidate can reach the top k: NDCG is 0 for every g, nothing to scan.
  return reachable ? Int32Array.from(keep) : new Int32Array(0)
}

/** NDCG@k per example of base + g * feature i: one coordinate trial over the trial positions. */
function coordinateNdcg(
  examples: FitExample[],
  bases: Float64Array[],
  positions: Int32Array[],
  i: number,
  g: number,
  k: number
): Float64Array {
  const out = new Float64Array(examples.length)
  const topIdx: number[] = []
  const topVal: number[] = []
  examples.forEach((ex, e) => {
    topIdx.length = 0
    topVal.length = 0
    const base = bases[e]
    const f = ex.features[i]
    const pos = positions[e]
    for (let t = 0; t < pos.length; t++) {
      const j = pos[t]
      pushTopK(topIdx, topVal, k, ex.candidates[j], base[j] + g * f[j])
    }
    out[e] = ndcg(topIdx, ex.relevant, k)
  })
  return out
}

/** Mean NDCG@k of a weight vector (in `names` order) over fit examples. */
export function meanNdcg(examples: FitExample[], w: number[], k: number): number {
  if (examples.length === 0) return 0
  let total = 0
  for (const x of exampleNdcg(examples, w, k)) total += x
  return total / examples.length
}

/**
 * Paired comparison of two per-example score vectors: the mean gain of `b` over
 * `a` and its standard error, SE = sd(b_i - a_i) / sqrt(n).
 */
export function pairedGain(a: Float64Array, b: Float64Array): { gain: number; se: number } {
  const n = a.length
  if (n === 0) return { gain: 0, se: 0 }
  let sum = 0
  for (let i = 0; i < n; i++) sum += b[i] - a[i]
  const gain = sum / n
  let sq = 0
  for (let i = 0; i < n; i++) sq += (b[i] - a[i] - gain) ** 2
  const se = n > 1 ? Math.sqrt(sq / (n - 1) / n) : Infinity
  return { gain, se }
}

const mean = (a: Float64Array): number => {
  let t = 0
  for (const x of a) t += x
  return a.length ? t / a.length : 0
}

export interface FitBlendOptions {
  /** Passes of coordinate ascent. @defaultValue 3 */
  rounds?: number
  /** A change must gain more than this (mean NDCG) to be kept. @defaultValue 1e-4 */
  minGain?: number
  /**
   * ...and more than `significance` standard errors of the paired per-customer
   * gain, so that on a small validation set noise does not switch signals on or
   * move weights (a one-standard-error rule). 0 turns it off. @defaultValue 1
   */
  significance?: number
  /** Start from these weights instead of the best single signal. */
  start?: Record<string, number>
  /**
   * Further starting points (e.g. the fitted weights of a method using a subset of
   * the signals). Every start is ascended and the best result kept, so a method
   * never fits worse on the validation examples than any start it was given.
   */
  starts?: Record<string, number>[]
}

/** Per-group means of per-example scores (groups in first-seen order); identity without groups. */
export function groupMeans(examples: FitExample[]): (scores: Float64Array) => Float64Array {
  if (!examples.some((e) => e.group !== undefined)) return (x) => x
  const index = new Map<number, number>()
  const slot = new Int32Array(examples.length)
  examples.forEach((e, i) => {
    const g = e.group ?? -1 - i
    let j = index.get(g)
    if (j === undefined) index.set(g, (j = index.size))
    slot[i] = j
  })
  const count = new Float64Array(index.size)
  for (const j of slot) count[j]++
  return (scores) => {
    const out = new Float64Array(count.length)
    for (let i = 0; i < scores.length; i++) out[slot[i]] += scores[i]
    for (let j = 0; j < out.length; j++) out[j] /= count[j]
    return out
  }
}

/** Coordinate ascent from one start; `fixed` is the index whose weight stays put (the scale). */
function ascend(
  examples: FitExample[],
  k: number,
  w: number[],
  fixed: number,
  rounds: number,
  minGain: number,
  significance: number
): { w: number[]; score: number } {
  // Gains and their standard errors are over customers, not examples.
  const byGroup = groupMeans(examples)
  let current = byGroup(exampleNdcg(examples, w, k))
  for (let r = 0; r < rounds; r++) {
    let changed = false
    for (let i = 0; i < w.length; i++) {
      if (i === fixed) continue
      const now = w[i]
      // The grid, plus a finer step around the current value once it is non-zero.
      const values = now > 0 ? GRID.concat([now * 0.7, now * 1.4]) : GRID
      let bestVal = now
      let bestGain = 0
      let bestScores: Float64Array | undefined
      const bases = baseScores(examples, w, i)
      const gMax = Math.max(...values)
      const positions = examples.map((ex, e) => trialPositions(ex, bases[e], ex.features[i], k, gMax))
      for (const g of values) {
        if (g === now) continue
        const scores = byGroup(coordinateNdcg(examples, bases, positions, i, g, k))
        const { gain, se } = pairedGain(current, scores)
        if (gain > minGain && gain > significance * se && gain > bestGain) {
          bestGain = gain
          bestVal = g
          bestScores = scores
        }
      }
      if (bestScores) {
        w[i] = bestVal
        current = bestScores
        changed = true
      }
    }
    if (!changed) break
  }
  return { w, score: mean(current) }
}

/**
 * Drops candidates that can never enter a top-k: among candidates on which every
 * feature but popularity is 0, any non-negative blend orders them by popularity
 * (= the tie-break), so only the k most popular of them matter. This keeps the
 * fit's cost in the customer's own candidates, not in the catalogue's top list.
 * An example without any relevant candidate scores 0 under every blend and keeps
 * no candidates at all.
 */
export function pruneExample(ex: FitExample, names: string[], k: number): FitExample {
  const pop = names.indexOf("popularity")
  const n = ex.candidates.length
  // No relevant candidate: NDCG is 0 whatever the weights, so nothing needs scoring.
  if (!ex.candidates.some((c) => ex.relevant.has(c))) {
    return { candidates: new Int32Array(0), features: ex.features.map(() => new Float64Array(0)), tieBreak: new Float64Array(0), relevant: ex.relevant, group: ex.group }
  }
  const keep: number[] = []
  const plain: number[] = []
  for (let j = 0; j < n; j++) {
    let other = false
    for (let f = 0; f < ex.features.length && !other; f++) if (f !== pop && ex.features[f][j] !== 0) other = true
    ;(other ? keep : plain).push(j)
  }
  if (plain.length <= k) return ex
  plain.sort((a, b) => ex.tieBreak[b] - ex.tieBreak[a] || ex.candidates[a] - ex.candidates[b])
  const idx = keep.concat(plain.slice(0, k)).sort((a, b) => a - b)
  return {
    candidates: Int32Array.from(idx, (j) => ex.candidates[j]),
    features: ex.features.map((f) => Float64Array.from(idx, (j) => f[j])),
    tieBreak: Float64Array.from(idx, (j) => ex.tieBreak[j]),
    relevant: ex.relevant,
    group: ex.group,
  }
}

/**
 * Coordinate ascent on a grid: the best single signal is the anchor (weight 1,
 * which fixes the scale), then each other weight in turn takes the grid value
 * (or a finer step around its current value) that maximises mean NDCG@k, for
 * `rounds` passes. With `starts`, the same ascent also runs from each given
 * start (anchored on its largest weight) and the best validation score wins.
 */
export function fitBlend(names: string[], allExamples: FitExample[], k: number, options: FitBlendOptions = {}): FitResult {
  const examples = allExamples.map((ex) => pruneExample(ex, names, k))
  const rounds = options.rounds ?? 3
  const minGain = options.minGain ?? 1e-4
  const significance = options.significance ?? 1
  if (names.length === 0) throw new Error("fitBlend needs at least one signal.")
  const starts: number[][] = []
  if (options.start) starts.push(names.map((n) => options.start?.[n] ?? 0))
  else {
    let bestSingle = -1
    let anchor = 0
    names.forEach((_, i) => {
      const s = meanNdcg(examples, names.map((__, j) => (j === i ? 1 : 0)), k)
      if (s > bestSingle + 1e-12) {
        bestSingle = s
        anchor = i
      }
    })
    starts.push(names.map((_, j) => (j === anchor ? 1 : 0)))
  }
  for (const st of options.starts ?? []) {
    const w = names.map((n) => st[n] ?? 0)
    if (w.some((x) => x > 0) && !starts.some((o) => o.every((x, i) => x === w[i]))) starts.push(w)
  }
  let best: { w: number[]; score: number } | undefined
  for (const st of starts) {
    const fixed = st.indexOf(Math.max(...st))
    const res = ascend(examples, k, st.slice(), fixed, rounds, minGain, significance)
    if (!best || res.score > best.score + 1e-12) best = res
  }
  const out = best as { w: number[]; score: number }
  const weights: Record<string, number> = {}
  names.forEach((n, i) => {
    if (out.w[i] !== 0) weights[n] = Math.round(out.w[i] * 1e4) / 1e4
  })
  return { weights, score: out.score }
}

/** Category features of one customer on the candidate set, in `names` order. */
export function categoryExample(
  stage: Stage,
  popNorm: Float64Array,
  sig: CustomerSignals,
  names: CategorySignal[],
  relevant: Set<number>
): FitExample {
  const cands = Int32Array.from(categoryCandidates(stage, sig))
  const features = names.map((name) => {
    const f = new Float64Array(cands.length)
    cands.forEach((c, j) => {
      f[j] = name === "popularity" ? popNorm[c] : sig.category[name].get(c) ?? 0
    })
    return f
  })
  return { candidates: cands, features, tieBreak: Float64Array.from(cands, (c) => popNorm[c]), relevant }
}

/**
 * Product features of one customer: candidates are the union of the sparse
 * signals, the top of the interest term and the most popular products.
 */
export function productExample(
  stage: Stage,
  popNorm: Float64Array,
  sig: CustomerSignals,
  categoryScores: Map<number, number>,
  names: ProductSignal[],
  relevant: Set<number>,
  scratch: Float64Array,
  topPerTerm = 100
): FitExample {
  const interest = interestTerm(stage, categoryScores, scratch)
  const set = new Set<number>(stage.topProducts.slice(0, topPerTerm))
  for (const p of topKDense(interest, topPerTerm, (q) => interest[q] > 0)) set.add(p)
  // A product outside every signal's top `topPerTerm` cannot reach a top-k of a
  // non-negative blend in practice; keeping only the tops bounds the fitting cost.
  const ownInterest = names.includes("own_interest") ? ownInterestTerm(stage, sig, categoryScores) : new Map<number, number>()
  for (const p of ownInterest.keys()) set.add(p)
  for (const name of names) {
    if (name === "popularity" || name === "interest" || name === "own_interest") continue
    const v = sig.product[name as SparseProductSignal]
    if (v.size <= topPerTerm) for (const p of v.keys()) set.add(p)
    else for (const [p] of [...v.entries()].sort((a, b) => b[1] - a[1]).slice(0, topPerTerm)) set.add(p)
  }
  const cands = Int32Array.from([...set].sort((a, b) => a - b))
  const features = names.map((name) => {
    const f = new Float64Array(cands.length)
    cands.forEach((p, j) => {
      f[j] =
        name === "popularity"
          ? popNorm[p]
          : name === "interest"
          ? interest[p]
          : name === "own_interest"
          ? ownInterest.get(p) ?? 0
          : sig.product[name as SparseProductSignal].get(p) ?? 0
    })
    return f
  })
  return { candidates: cands, features, tieBreak: Float64Array.from(cands, (p) => popNorm[p]), relevant }
}

export { CATEGORY_SIGNALS, PRODUCT_SIGNALS }
