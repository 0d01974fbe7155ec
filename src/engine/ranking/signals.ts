/**
 * The per-customer signals: what the baselines score with and what the ranker's
 * features (ranking/features.ts) are built from.
 */
import { itemKnnScores } from "../baselines/item-knn"
import { markovPredict } from "../baselines/markov"
import { InterestSpace, expand } from "../features/interest-space"
import { applyIdf } from "../profiles/idf"
import { decayFactor } from "../profiles/weights"
import { nearestCentroid } from "../segments/kmeans"
import { DEFAULT_SEGMENT_OPTIONS, reduceProfile } from "../segments/segments"
import { mixturePrior, segmentMixture } from "../segments/mixture"
import { nearestCustomers, transferVector } from "../transfer/feature-transfer"
import { SparseVector, normalizeL1 } from "../util/vectors"
import { recencyFeatures } from "../features/recency-features"
import { CustomerState, Stage } from "../core/stage"
import { HOUR_MS } from "../data/periods"

/** Popular categories that share LSTM_FALLBACK_MASS of the LSTM's "other" dimension. */
const LSTM_FALLBACK_CATEGORIES = 50
const LSTM_FALLBACK_MASS = 0.1
/** Last distinct products that seed the item kNN, each weighing KNN_SEED_DECAY times the next newer one. */
const KNN_SEEDS = 10
const KNN_SEED_DECAY = 0.75

/** Sparse category signals (each scaled to max 1 per customer). */
export const CATEGORY_SIGNALS = ["repeat", "recent", "markov", "item_knn", "transfer", "lstm", "session", "visits"] as const
export type CategorySignal = (typeof CATEGORY_SIGNALS)[number]

/** Sparse product signals (each scaled to max 1 per customer). */
export const PRODUCT_SIGNALS = [
  "repeat_item",
  "item_knn",
  "segment_popularity",
  "knn_rank",
  "newcomer",
  "session_item",
  "item_visits",
  "open_intent",
] as const
export type ProductSignal = (typeof PRODUCT_SIGNALS)[number]

export interface CustomerSignals {
  events: number
  segment: number
  /** The segment prior over categories (max 1): the nearest segment's interests, or the mixture's. */
  segmentPrior: SparseVector
  category: Record<CategorySignal, SparseVector>
  product: Record<ProductSignal, SparseVector>
  /** Which recent product contributed most to each item-kNN score (for reasons). */
  knnSource: Map<number, number>
}

/**
 * Rank-based normalisation: the i-th best entry (0-based, ties share a rank) gets
 *   1 / log2(i + 2)
 * (the NDCG discount), so two signals with very different value distributions
 * (a few heavy repeats vs. a long flat tail of neighbours) interleave by position
 * when blended, whatever their raw scales.
 */
export function rankNormalize(v: SparseVector): SparseVector {
  const entries = [...v.entries()].filter((e) => e[1] > 0).sort((a, b) => b[1] - a[1] || a[0] - b[0])
  const out: SparseVector = new Map()
  let rank = 0
  entries.forEach(([k, x], i) => {
    if (i > 0 && x < entries[i - 1][1]) rank = i
    out.set(k, 1 / Math.log2(rank + 2))
  })
  return out
}

export function maxNormalize(v: SparseVector): SparseVector {
  let m = 0
  for (const x of v.values()) if (x > m) m = x
  const out: SparseVector = new Map()
  if (m <= 0) return out
  for (const [k, x] of v) if (x > 0) out.set(k, x / m)
  return out
}

/** Segment of a (possibly new) customer: nearest centroid of the damped profile, -1 when empty. */
export function assignSegment(stage: Stage, damped: SparseVector): number {
  if (damped.size === 0 || stage.segments.centroids.length === 0) return -1
  const dims = stage.segments.dimensions
  const point = reduceProfile(damped, dims, new Map(dims.map((d, i) => [d, i])))
  return nearestCentroid(point, stage.segments.centroids)
}

/** P(segment | customer) of a damped profile, per segment of the stage (empty for an empty profile). */
export function customerMixture(stage: Stage, damped: SparseVector): number[] {
  if (damped.size === 0 || stage.segments.centroids.length === 0) return []
  const dims = stage.segments.dimensions
  const point = reduceProfile(damped, dims, new Map(dims.map((d, i) => [d, i])))
  // Artifacts written before the mixture carry no temperature.
  return segmentMixture(point, stage.segments.centroids, stage.options.segments.temperature ?? DEFAULT_SEGMENT_OPTIONS.temperature)
}

/** The prior the segment features read, by `segments.prior` (max 1; empty outside every segment). */
export function segmentPriorOf(stage: Stage, state: CustomerState): SparseVector {
  if (state.segment < 0) return new Map()
  if (stage.options.segments.prior === "mixture") {
    const mixture = customerMixture(stage, state.damped)
    if (mixture.length) return maxNormalize(mixturePrior(mixture, stage.segmentInterests))
  }
  return maxNormalize(stage.segmentInterests[state.segment])
}

/** Fills `damped` and `segment` of a state built outside the stage (e.g. a visitor's new events). */
export function placeInStage(stage: Stage, state: CustomerState): CustomerState {
  state.damped = normalizeL1(applyIdf(state.profile, stage.idf))
  state.segment = assignSegment(stage, state.damped)
  return state
}

export type LstmPrediction =
  | {
      space: InterestSpace
      dimOf: Map<number, number>
      /** [space dim] distribution predicted for the next period. */
      reduced: ArrayLike<number>
    }
  | {
      /** Candidate mode: the LSTM's score of each of the customer's own candidate categories. */
      scores: SparseVector
    }

/** The LSTM's next-period category scores for a customer (max 1), empty without a prediction. */
export function lstmSignal(stage: Stage, state: CustomerState, lstm?: LstmPrediction): SparseVector {
  if (!lstm) return new Map()
  if ("scores" in lstm) return maxNormalize(lstm.scores)
  const fallback = new Map(normalizeL1(state.profile))
  // Popular categories back up "other" for customers whose own history is all in the kept dims.
  const pop = stage.topCategories.slice(0, LSTM_FALLBACK_CATEGORIES)
  let popSum = 0
  for (const c of pop) popSum += stage.popularity.category[c]
  for (const c of pop) {
    if (!fallback.has(c) && popSum > 0) fallback.set(c, (LSTM_FALLBACK_MASS * stage.popularity.category[c]) / popSum)
  }
  return maxNormalize(expand(lstm.space, lstm.reduced, fallback, lstm.dimOf))
}

export function computeSignals(
  stage: Stage,
  state: CustomerState,
  selfIndex: number,
  lstm?: LstmPrediction
): CustomerSignals {
  const o = stage.options
  const last = state.periods.length ? state.periods[state.periods.length - 1].vector : new Map<number, number>()
  const seg = state.segment

  // Item kNN from the last distinct products, most recent weighing most.
  const seen = new Set<number>()
  const recentWeighted: [number, number][] = []
  for (let i = state.recent.length - 1; i >= 0 && recentWeighted.length < KNN_SEEDS; i--) {
    const r = state.recent[i]
    if (seen.has(r.product)) continue
    seen.add(r.product)
    recentWeighted.push([r.product, r.weight * Math.pow(KNN_SEED_DECAY, recentWeighted.length)])
  }
  const knnRaw = itemKnnScores(stage.knn, recentWeighted)
  const knnSource = new Map<number, number>()
  for (const [p] of recentWeighted) {
    const idx = stage.knn.index[p]
    if (!idx) continue
    for (let j = 0; j < idx.length; j++) if (!knnSource.has(idx[j])) knnSource.set(idx[j], p)
  }
  const knnCat: SparseVector = new Map()
  for (const [p, x] of knnRaw) {
    const cats = stage.productCategories[p]
    for (const c of cats) knnCat.set(c, (knnCat.get(c) ?? 0) + x / cats.length)
  }
  const repeatItem: SparseVector = new Map()
  for (const r of state.recent) {
    const w = r.weight * decayFactor(stage.refPeriod - r.period, o.profileHalfLife)
    repeatItem.set(r.product, (repeatItem.get(r.product) ?? 0) + w)
  }

  let transfer: SparseVector = new Map()
  if (seg >= 0 || state.events > 0) {
    const candidates = seg >= 0 ? stage.segmentMembers[seg].filter((m) => m !== selfIndex) : []
    const neighbours =
      state.damped.size > 0
        ? nearestCustomers(
            state.damped,
            candidates.map((m) => ({ key: m, profile: stage.customers[m].damped })),
            o.transfer.neighbours
          )
        : []
    transfer = transferVector(
      {
        own: state.profile,
        events: state.events,
        segment: seg >= 0 ? stage.segmentInterests[seg] : new Map(),
        neighbours: neighbours.map((n) => ({ profile: stage.customers[n.key].profile, similarity: n.similarity })),
      },
      o.transfer
    )
  }

  const rec = recencyFeatures(state.recent, stage.productCategories, o.sessionHalfLifeHours * HOUR_MS)
  const category = {
    repeat: maxNormalize(state.profile),
    recent: maxNormalize(last),
    markov: maxNormalize(markovPredict(stage.markov, last)),
    item_knn: maxNormalize(knnCat),
    transfer: maxNormalize(transfer),
    lstm: lstmSignal(stage, state, lstm),
    session: maxNormalize(rec.sessionCategories),
    visits: maxNormalize(rec.categoryVisits),
  }

  return {
    events: state.events,
    segment: seg,
    segmentPrior: segmentPriorOf(stage, state),
    category,
    product: {
      repeat_item: maxNormalize(repeatItem),
      item_knn: maxNormalize(knnRaw),
      knn_rank: rankNormalize(knnRaw),
      // The same for everyone; the ranker learns whom it helps (new customers).
      newcomer: stage.newcomerProducts,
      segment_popularity: seg >= 0 ? maxNormalize(stage.segmentProducts[seg]) : new Map(),
      session_item: maxNormalize(rec.sessionItems),
      item_visits: maxNormalize(rec.itemVisits),
      open_intent: maxNormalize(rec.openIntent),
    },
    knnSource,
  }
}
