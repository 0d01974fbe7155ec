/**
 * Blending signals into scores, and fitting the blend weights on a validation
 * split (never on the test period). Every signal is scaled to max 1 per customer,
 * so a weight says how much that signal counts relative to the others.
 */
import { ndcg } from "../evaluation/metrics"
import { Stage } from "../pipeline/stage"
import { SparseVector } from "../util/vectors"
import { CATEGORY_SIGNALS, CategorySignal, CustomerSignals, PRODUCT_SIGNALS, ProductSignal } from "./signals"

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

/** Dense product scores over the full catalogue. */
export function scoreProducts(
  stage: Stage,
  popNorm: Float64Array,
  sig: CustomerSignals,
  categoryScores: Map<number, number>,
  w: BlendWeights["product"],
  out?: Float64Array
): Float64Array {
  const n = stage.productIds.length
  const scores = out ?? new Float64Array(n)
  const wi = w.interest ?? 0
  const wp = (w.popularity ?? 0) + TIE_BREAK
  if (wi) {
    interestTerm(stage, categoryScores, scores)
    for (let p = 0; p < n; p++) scores[p] = wi * scores[p] + wp * popNorm[p]
  } else for (let p = 0; p < n; p++) scores[p] = wp * popNorm[p]
  for (const name of ["repeat_item", "item_knn", "segment_popularity"] as const) {
    const wn = w[name]
    if (!wn) continue
    for (const [p, x] of sig.product[name]) scores[p] += wn * x
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
}

export interface FitResult {
  weights: Record<string, number>
  /** Mean NDCG@k on the examples with the fitted weights. */
  score: number
}

const GRID = [0, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2.5, 5]

/** Mean NDCG@k of a weight vector (in `names` order) over fit examples. */
export function meanNdcg(examples: FitExample[], w: number[], k: number): number {
  if (examples.length === 0) return 0
  let total = 0
  const topIdx: number[] = []
  const topVal: number[] = []
  for (const ex of examples) {
    topIdx.length = 0
    topVal.length = 0
    const n = ex.candidates.length
    for (let j = 0; j < n; j++) {
      let s = TIE_BREAK * ex.tieBreak[j]
      for (let f = 0; f < w.length; f++) if (w[f] !== 0) s += w[f] * ex.features[f][j]
      if (topIdx.length === k && s <= topVal[k - 1]) continue
      let pos = topIdx.length
      while (pos > 0 && topVal[pos - 1] < s) pos--
      topIdx.splice(pos, 0, ex.candidates[j])
      topVal.splice(pos, 0, s)
      if (topIdx.length > k) {
        topIdx.pop()
        topVal.pop()
      }
    }
    total += ndcg(topIdx, ex.relevant, k)
  }
  return total / examples.length
}

/**
 * Coordinate ascent on a grid: the best single signal is the anchor (weight 1,
 * which fixes the scale), then each other weight in turn takes the grid value
 * that maximises mean NDCG@k, for `rounds` passes. A change must gain more than
 * `minGain` to be kept, so noise does not switch signals on.
 */
export function fitBlend(
  names: string[],
  examples: FitExample[],
  k: number,
  options: { rounds?: number; minGain?: number; start?: Record<string, number> } = {}
): FitResult {
  const rounds = options.rounds ?? 2
  const minGain = options.minGain ?? 1e-4
  if (names.length === 0) throw new Error("fitBlend needs at least one signal.")
  let w: number[]
  let best: number
  if (options.start) {
    w = names.map((n) => options.start?.[n] ?? 0)
    best = meanNdcg(examples, w, k)
  } else {
    w = names.map(() => 0)
    best = -1
    let anchor = 0
    names.forEach((_, i) => {
      const trial = names.map((__, j) => (j === i ? 1 : 0))
      const s = meanNdcg(examples, trial, k)
      if (s > best + 1e-12) {
        best = s
        anchor = i
      }
    })
    w[anchor] = 1
  }
  const anchorIdx = w.findIndex((x) => x === Math.max(...w))
  for (let r = 0; r < rounds; r++) {
    let changed = false
    for (let i = 0; i < names.length; i++) {
      if (i === anchorIdx) continue
      const current = w[i]
      let bestVal = current
      for (const g of GRID) {
        if (g === current) continue
        const trial = w.slice()
        trial[i] = g
        const s = meanNdcg(examples, trial, k)
        if (s > best + minGain) {
          best = s
          bestVal = g
        }
      }
      if (bestVal !== current) {
        w[i] = bestVal
        changed = true
      }
    }
    if (!changed) break
  }
  const weights: Record<string, number> = {}
  names.forEach((n, i) => {
    if (w[i] !== 0) weights[n] = w[i]
  })
  return { weights, score: best }
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
  topPerTerm = 300
): FitExample {
  const interest = interestTerm(stage, categoryScores, scratch)
  const set = new Set<number>(stage.topProducts.slice(0, topPerTerm))
  const idx: number[] = []
  const val: number[] = []
  for (let p = 0; p < interest.length; p++) {
    const x = interest[p]
    if (x <= 0 || (idx.length === topPerTerm && x <= val[topPerTerm - 1])) continue
    let pos = idx.length
    while (pos > 0 && val[pos - 1] < x) pos--
    idx.splice(pos, 0, p)
    val.splice(pos, 0, x)
    if (idx.length > topPerTerm) {
      idx.pop()
      val.pop()
    }
  }
  for (const p of idx) set.add(p)
  for (const v of Object.values(sig.product)) for (const p of (v as SparseVector).keys()) set.add(p)
  const cands = Int32Array.from([...set].sort((a, b) => a - b))
  const features = names.map((name) => {
    const f = new Float64Array(cands.length)
    cands.forEach((p, j) => {
      f[j] =
        name === "popularity"
          ? popNorm[p]
          : name === "interest"
          ? interest[p]
          : sig.product[name].get(p) ?? 0
    })
    return f
  })
  return { candidates: cands, features, tieBreak: Float64Array.from(cands, (p) => popNorm[p]), relevant }
}

export { CATEGORY_SIGNALS, PRODUCT_SIGNALS }
