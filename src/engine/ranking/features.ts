/**
 * The ranker's input: for one customer on one stage, the candidates worth ranking
 * and one feature row per candidate, at category and at product level. Training
 * (every earlier cut-off), evaluation and serving all build rows here, so the
 * ranker sees the same features wherever it runs.
 *
 * Times are relative to the customer's own last event where a feature describes
 * their behaviour (so a row means the same at a cut-off, the test and serving),
 * and to the stage's clock only for "how long since this customer was here".
 */
import { CustomerState, Stage } from "../core/stage"
import { HOUR_MS } from "../data/periods"
import { EVENT_CODE } from "../types"
import { decayFactor } from "../profiles/weights"
import { SparseVector, topKDense } from "../util/vectors"
import { CustomerSignals } from "./signals"
import { interestTerm } from "./interest-term"

export const CATEGORY_FEATURES = [
  "events_log",
  "active_periods",
  "idle_hours_log",
  "repeat",
  "recent",
  "decay_short",
  "decay_long",
  "share",
  "periods_present",
  "periods_since",
  "hours_since_log",
  "events_since_log",
  "distinct_products",
  "sessions",
  "session",
  "views",
  "carts",
  "wishlists",
  "purchases",
  "open_intent",
  "markov",
  "item_knn",
  "popularity",
  "popularity_recent",
  "trend",
  "segment_prior",
  "transfer",
  "lstm",
  "season",
  "weekday",
] as const
export type CategoryFeature = (typeof CATEGORY_FEATURES)[number]

export const PRODUCT_FEATURES = [
  "events_log",
  "active_periods",
  "idle_hours_log",
  "repeat_item",
  "own_events",
  "item_visits",
  "session_item",
  "open_intent",
  "hours_since_log",
  "events_since_log",
  "views",
  "carts",
  "wishlists",
  "purchases",
  "item_knn",
  "knn_rank",
  "popularity",
  "popularity_recent",
  "trend",
  "newcomer",
  "segment_popularity",
  "category_share",
  "interest",
  "cat_repeat",
  "cat_recent",
  "cat_markov",
  "cat_session",
  "cat_transfer",
  "cat_lstm",
  "cat_segment_prior",
  "cat_popularity",
  "cat_season",
  "cat_weekday",
] as const
export type ProductFeature = (typeof PRODUCT_FEATURES)[number]

/** Feature families the ablations leave out, and what the baseline-only ranker keeps. */
export const FEATURE_GROUPS = {
  lstm: { category: ["lstm"], product: ["cat_lstm"] },
  transfer: {
    category: ["transfer", "segment_prior"],
    product: ["segment_popularity", "newcomer", "cat_transfer", "cat_segment_prior"],
  },
  season: { category: ["season", "weekday"], product: ["cat_season", "cat_weekday"] },
  baselines: {
    category: ["popularity", "repeat", "markov", "item_knn"],
    product: ["popularity", "repeat_item", "interest", "item_knn", "cat_repeat", "cat_markov"],
  },
} as const satisfies Record<string, { category: readonly CategoryFeature[]; product: readonly ProductFeature[] }>

/** A missing "time since" (never touched): far beyond any real gap. */
const NEVER_HOURS_LOG = Math.log1p(1e5)
const NEVER_PERIODS = 1e3

/** Half-lives, in periods, of the short and the long per-category decays (the long one a multiple of the profile's). */
const SHORT_HALF_LIFE = 1
const LONG_HALF_LIFE_FACTOR = 4
/** Added to both popularities before their log ratio (the trend), so that an unseen item has a finite one. */
const TREND_SMOOTHING = 0.01

/** Candidates per source: a product outside every source's top is rarely worth ranking. */
const CANDIDATES = { own: 50, knn: 50, interest: 50, segment: 30, newcomer: 20, popular: 50, categorySignal: 30, popularCategories: 20 }

export interface Rows {
  /** Candidate indices (categories or products), ascending. */
  candidates: Int32Array
  /** Row-major, candidates.length x features. */
  x: Float32Array
}

/** Per-item aggregates of a customer's recent events (at most RECENT_ITEMS of them). */
interface Touches {
  views: number
  carts: number
  wishlists: number
  purchases: number
  lastTime: number
  /** Position of the last touch in the recent events (oldest first). */
  lastIndex: number
  products: Set<number>
}

function touchesBy(state: CustomerState, keysOf: (product: number) => readonly number[]): Map<number, Touches> {
  const out = new Map<number, Touches>()
  state.recent.forEach((r, i) => {
    for (const k of keysOf(r.product)) {
      let t = out.get(k)
      if (!t) out.set(k, (t = { views: 0, carts: 0, wishlists: 0, purchases: 0, lastTime: -Infinity, lastIndex: -1, products: new Set() }))
      if (r.type === EVENT_CODE.add_to_cart) t.carts++
      else if (r.type === EVENT_CODE.wishlist) t.wishlists++
      else if (r.type === EVENT_CODE.purchase) t.purchases++
      else if (r.type === EVENT_CODE.view || r.type === undefined) t.views++
      if (r.time > t.lastTime) t.lastTime = r.time
      t.lastIndex = i
      t.products.add(r.product)
    }
  })
  return out
}

/** log(1 + events after the last touch): 0 for the very last thing the customer did. */
function eventsSinceLog(state: CustomerState, t: Touches | undefined): number {
  return t ? Math.log1p(state.recent.length - 1 - t.lastIndex) : NEVER_HOURS_LOG
}

function lastEventTime(state: CustomerState): number {
  return state.recent.length ? state.recent[state.recent.length - 1].time : -Infinity
}

function hoursLog(from: number, to: number): number {
  return Number.isFinite(from) ? Math.log1p(Math.max(0, to - from) / HOUR_MS) : NEVER_HOURS_LOG
}

function topKeys(v: SparseVector, n: number): number[] {
  if (v.size <= n) return [...v.keys()]
  return [...v.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, n)
    .map((e) => e[0])
}

function maxOf(v: SparseVector): number {
  let m = 0
  for (const x of v.values()) if (x > m) m = x
  return m
}

/** What both levels share for one customer: context features and the stage's normalised popularity. */
export interface FeatureContext {
  stage: Stage
  state: CustomerState
  sig: CustomerSignals
  customer: [eventsLog: number, activePeriods: number, idleHoursLog: number]
}

export function featureContext(stage: Stage, state: CustomerState, sig: CustomerSignals): FeatureContext {
  return {
    stage,
    state,
    sig,
    customer: [Math.log1p(state.events), state.periods.length, hoursLog(lastEventTime(state), stage.refTime)],
  }
}

/** Category weights the interest term spreads over products: the customer's own and sequential signals, unlearned. */
export function interestWeights(sig: CustomerSignals): Map<number, number> {
  const out = new Map<number, number>()
  for (const v of [sig.category.repeat, sig.category.recent, sig.category.markov, sig.category.item_knn, sig.category.session]) {
    for (const [k, x] of v) out.set(k, (out.get(k) ?? 0) + x)
  }
  return out
}

export function categoryCandidates(ctx: FeatureContext): Int32Array {
  const { stage, state, sig } = ctx
  const set = new Set<number>(stage.topCategories.slice(0, CANDIDATES.popularCategories))
  for (const v of [sig.category.repeat, sig.category.recent, sig.category.session, sig.category.visits]) for (const k of v.keys()) set.add(k)
  for (const v of [sig.category.markov, sig.category.item_knn, sig.category.transfer, sig.category.lstm]) {
    for (const k of topKeys(v, CANDIDATES.categorySignal)) set.add(k)
  }
  for (const k of topKeys(sig.segmentPrior, CANDIDATES.popularCategories)) set.add(k)
  return Int32Array.from([...set].sort((a, b) => a - b))
}

export function categoryRows(ctx: FeatureContext, candidates: Int32Array = categoryCandidates(ctx)): Rows {
  const { stage, state, sig } = ctx
  const o = stage.options
  const F = CATEGORY_FEATURES.length
  const x = new Float32Array(candidates.length * F)
  const touches = touchesBy(state, (p) => stage.productCategories[p] ?? [])
  const lastTime = lastEventTime(state)
  // Per category over the customer's periods: decays at a short and a long half-life, presence, last period.
  const short = new Map<number, number>()
  const long = new Map<number, number>()
  const present = new Map<number, number>()
  const lastPeriod = new Map<number, number>()
  let total = 0
  for (const p of state.periods) {
    const ds = decayFactor(stage.refPeriod - p.period, SHORT_HALF_LIFE)
    const dl = decayFactor(stage.refPeriod - p.period, o.profileHalfLife * LONG_HALF_LIFE_FACTOR)
    for (const [k, w] of p.vector) {
      short.set(k, (short.get(k) ?? 0) + w * ds)
      long.set(k, (long.get(k) ?? 0) + w * dl)
      present.set(k, (present.get(k) ?? 0) + 1)
      lastPeriod.set(k, p.period)
    }
  }
  for (const w of state.profile.values()) total += w
  const shortMax = maxOf(short)
  const longMax = maxOf(long)
  const seg = sig.segmentPrior
  const pop = stage.popularityNorm.category
  const popRecent = stage.recentPopularity.category
  const openIntent = new Map<number, number>()
  for (const [p, v] of sig.product.open_intent) {
    for (const k of stage.productCategories[p] ?? []) openIntent.set(k, Math.max(openIntent.get(k) ?? 0, v))
  }
  for (let j = 0; j < candidates.length; j++) {
    const k = candidates[j]
    const t = touches.get(k)
    const lp = lastPeriod.get(k)
    const row = j * F
    x.set(ctx.customer, row)
    x[row + 3] = sig.category.repeat.get(k) ?? 0
    x[row + 4] = sig.category.recent.get(k) ?? 0
    x[row + 5] = shortMax > 0 ? (short.get(k) ?? 0) / shortMax : 0
    x[row + 6] = longMax > 0 ? (long.get(k) ?? 0) / longMax : 0
    x[row + 7] = total > 0 ? (state.profile.get(k) ?? 0) / total : 0
    x[row + 8] = present.get(k) ?? 0
    x[row + 9] = lp === undefined ? NEVER_PERIODS : stage.refPeriod - lp
    x[row + 10] = t ? hoursLog(t.lastTime, lastTime) : NEVER_HOURS_LOG
    x[row + 11] = eventsSinceLog(state, t)
    x[row + 12] = t ? t.products.size : 0
    x[row + 13] = sig.category.visits.get(k) ?? 0
    x[row + 14] = sig.category.session.get(k) ?? 0
    x[row + 15] = t?.views ?? 0
    x[row + 16] = t?.carts ?? 0
    x[row + 17] = t?.wishlists ?? 0
    x[row + 18] = t?.purchases ?? 0
    x[row + 19] = openIntent.get(k) ?? 0
    x[row + 20] = sig.category.markov.get(k) ?? 0
    x[row + 21] = sig.category.item_knn.get(k) ?? 0
    x[row + 22] = pop[k] ?? 0
    x[row + 23] = popRecent[k] ?? 0
    x[row + 24] = Math.log(((popRecent[k] ?? 0) + TREND_SMOOTHING) / ((pop[k] ?? 0) + TREND_SMOOTHING))
    x[row + 25] = seg.get(k) ?? 0
    x[row + 26] = sig.category.transfer.get(k) ?? 0
    x[row + 27] = sig.category.lstm.get(k) ?? 0
    x[row + 28] = stage.seasons.month[k]
    x[row + 29] = stage.seasons.weekday[k]
  }
  return { candidates, x }
}

/** The product candidates and the dense interest term they were drawn with. */
export interface ProductCandidates {
  candidates: Int32Array
  interest: Float64Array
}

export function productCandidates(ctx: FeatureContext, scratch?: Float64Array): ProductCandidates {
  const { stage, state, sig } = ctx
  const interest = interestTerm(stage, interestWeights(sig), scratch)
  const set = new Set<number>(stage.topProducts.slice(0, CANDIDATES.popular))
  for (let i = state.recent.length - 1; i >= 0 && set.size < CANDIDATES.popular + CANDIDATES.own; i--) set.add(state.recent[i].product)
  for (const p of topKeys(sig.product.item_knn, CANDIDATES.knn)) set.add(p)
  for (const p of topKDense(interest, CANDIDATES.interest, (q) => interest[q] > 0)) set.add(p)
  for (const p of topKeys(sig.product.segment_popularity, CANDIDATES.segment)) set.add(p)
  for (const p of topKeys(sig.product.newcomer, CANDIDATES.newcomer)) set.add(p)
  return { candidates: Int32Array.from([...set].sort((a, b) => a - b)), interest }
}

export function productRows(ctx: FeatureContext, pc: ProductCandidates): Rows {
  const { stage, state, sig } = ctx
  const { candidates, interest } = pc
  const F = PRODUCT_FEATURES.length
  const x = new Float32Array(candidates.length * F)
  const touches = touchesBy(state, (p) => [p])
  const lastTime = lastEventTime(state)
  const pop = stage.popularityNorm.product
  const popRecent = stage.recentPopularity.product
  const catPop = stage.popularityNorm.category
  const seg = sig.segmentPrior
  const rawPop = stage.popularity.product
  const mass = stage.popularity.categoryMass
  const c = sig.category
  for (let j = 0; j < candidates.length; j++) {
    const p = candidates[j]
    const t = touches.get(p)
    const row = j * F
    x.set(ctx.customer, row)
    x[row + 3] = sig.product.repeat_item.get(p) ?? 0
    x[row + 4] = t ? t.views + t.carts + t.wishlists + t.purchases : 0
    x[row + 5] = sig.product.item_visits.get(p) ?? 0
    x[row + 6] = sig.product.session_item.get(p) ?? 0
    x[row + 7] = sig.product.open_intent.get(p) ?? 0
    x[row + 8] = t ? hoursLog(t.lastTime, lastTime) : NEVER_HOURS_LOG
    x[row + 9] = eventsSinceLog(state, t)
    x[row + 10] = t?.views ?? 0
    x[row + 11] = t?.carts ?? 0
    x[row + 12] = t?.wishlists ?? 0
    x[row + 13] = t?.purchases ?? 0
    x[row + 14] = sig.product.item_knn.get(p) ?? 0
    x[row + 15] = sig.product.knn_rank.get(p) ?? 0
    x[row + 16] = pop[p] ?? 0
    x[row + 17] = popRecent[p] ?? 0
    x[row + 18] = Math.log(((popRecent[p] ?? 0) + TREND_SMOOTHING) / ((pop[p] ?? 0) + TREND_SMOOTHING))
    x[row + 19] = sig.product.newcomer.get(p) ?? 0
    x[row + 20] = sig.product.segment_popularity.get(p) ?? 0
    let share = 0
    let repeat = 0
    let recent = 0
    let markov = 0
    let session = 0
    let transfer = 0
    let lstm = 0
    let prior = 0
    let cp = 0
    // The strongest season among the product's categories (1 for a product without any).
    let season = 0
    let weekday = 0
    for (const k of stage.productCategories[p] ?? []) {
      if (mass[k] > 0) share = Math.max(share, rawPop[p] / mass[k])
      repeat = Math.max(repeat, c.repeat.get(k) ?? 0)
      recent = Math.max(recent, c.recent.get(k) ?? 0)
      markov = Math.max(markov, c.markov.get(k) ?? 0)
      session = Math.max(session, c.session.get(k) ?? 0)
      transfer = Math.max(transfer, c.transfer.get(k) ?? 0)
      lstm = Math.max(lstm, c.lstm.get(k) ?? 0)
      prior = Math.max(prior, seg.get(k) ?? 0)
      cp = Math.max(cp, catPop[k] ?? 0)
      season = Math.max(season, stage.seasons.month[k])
      weekday = Math.max(weekday, stage.seasons.weekday[k])
    }
    x[row + 21] = share
    x[row + 22] = interest[p]
    x[row + 23] = repeat
    x[row + 24] = recent
    x[row + 25] = markov
    x[row + 26] = session
    x[row + 27] = transfer
    x[row + 28] = lstm
    x[row + 29] = prior
    x[row + 30] = cp
    x[row + 31] = season || 1
    x[row + 32] = weekday || 1
  }
  return { candidates, x }
}

/** Both levels' candidate rows of one customer: what training, evaluation and serving rank. */
export function customerRows(stage: Stage, state: CustomerState, sig: CustomerSignals, scratch?: Float64Array): { category: Rows; product: Rows } {
  const ctx = featureContext(stage, state, sig)
  return { category: categoryRows(ctx), product: productRows(ctx, productCandidates(ctx, scratch)) }
}
