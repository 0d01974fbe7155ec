/**
 * Serving: rank products for a customer (or an anonymous visitor) and a
 * placement, from loaded artifacts plus the visitor's newest events. No training
 * and no tensor work here: vector arithmetic over the catalogue only.
 */
import { InterestEvent } from "../types"
import { eventTypeCode } from "../data/dataset"
import { periodOf } from "../data/periods"
import { dimIndex } from "../features/interest-space"
import { PeriodProfile, decayedProfile } from "../profiles/period-profiles"
import { QUANTITY_CAP, eventWeightTable } from "../profiles/weights"
import { PRODUCT_FEATURES, ProductFeature, Rows, featureContext, productCandidates, productRows } from "../ranking/features"
import { interestTerm } from "../ranking/interest-term"
import { LevelRanker, levelScores, rankedList, rowContributions } from "../ranking/interest-ranker"
import { CustomerSignals, LstmPrediction, computeSignals, placeInStage } from "../ranking/signals"
import { assertUnreachable } from "../util/options"
import { round6 } from "../util/round"
import { topKDense } from "../util/vectors"
import { LoadedModel, TrainedArtifacts, loadArtifacts } from "./artifacts"
import { CustomerState, RECENT_ITEMS, Stage } from "../core/stage"

/** Items a placement returns when the request gives no limit. */
export const DEFAULT_LIMIT = 10

/**
 * "related" scores: each co-occurrence neighbour of the product scores 1 + its similarity,
 * so neighbours always come first; then the product's categories, then the shopper's own
 * neighbours, with popularity only breaking ties.
 */
const RELATED = { sameCategory: 0.1, ownNeighbours: 0.05, popularity: 1e-6 } as const

export type Placement = "for_you" | "related" | "trending" | "recently_viewed" | "segment"
export const PLACEMENTS: readonly Placement[] = ["for_you", "related", "trending", "recently_viewed", "segment"]

export interface RecommendRequest {
  /** A known customer (or visitor) id; unknown ids are treated as new visitors. */
  customerId?: string
  /** Events not yet in the artifacts (newest behaviour, or an anonymous visitor's session). */
  recentEvents?: InterestEvent[]
  placement: Placement
  /** Required for "related". */
  productId?: string
  /** @defaultValue DEFAULT_LIMIT (10) */
  limit?: number
  /** Never return these product ids (e.g. in the cart, just bought, unpublished). */
  exclude?: string[]
  /** Only return these product ids (e.g. in stock in this sales channel). */
  restrict?: string[]
}

export type ReasonCode = "viewed_similar" | "viewed_before" | "interest_rising" | "interest" | "segment" | "trending" | "related" | "recently_viewed"

export interface RecommendedItem {
  productId: string
  score: number
  reason: string
  reasonCode: ReasonCode
}

export interface Recommendation {
  items: RecommendedItem[]
  segment: { id: string; name: string } | null
  /** True when the customer had too little history for their own signals (the cold-start rule ranked them). */
  cold: boolean
}

const loadedCache = new WeakMap<TrainedArtifacts, LoadedModel>()

function loaded(model: LoadedModel | TrainedArtifacts): LoadedModel {
  if ("stage" in model) return model
  let l = loadedCache.get(model)
  if (!l) {
    l = loadArtifacts(model)
    loadedCache.set(model, l)
  }
  return l
}

/** The stored state of a customer with the new events folded in (a copy; the artifacts stay untouched). */
export function stateWithEvents(stage: Stage, base: CustomerState | undefined, events: InterestEvent[]): CustomerState {
  const o = stage.options
  const weights = eventWeightTable(o.eventWeights)
  const periods: PeriodProfile[] = (base?.periods ?? []).map((p) => ({ ...p, vector: new Map(p.vector) }))
  const recent = [...(base?.recent ?? [])]
  let count = base?.events ?? 0
  let ref = stage.refPeriod
  const productIndex = new Map(stage.productIds.map((id, i) => [id, i]))
  for (const e of [...events].sort((a, b) => a.timestamp - b.timestamp)) {
    const p = productIndex.get(e.productId)
    const code = eventTypeCode(e.type)
    if (p === undefined || code < 0 || !Number.isFinite(e.timestamp)) continue
    const period = periodOf(e.timestamp, o.period)
    ref = Math.max(ref, period)
    const w = weights[code] * Math.min(e.quantity && e.quantity > 0 ? e.quantity : 1, QUANTITY_CAP)
    let prof = periods.find((x) => x.period === period)
    if (!prof) {
      prof = { period, vector: new Map(), events: 0 }
      periods.push(prof)
      periods.sort((a, b) => a.period - b.period)
    }
    prof.events++
    const cats = stage.productCategories[p]
    for (const c of cats) prof.vector.set(c, (prof.vector.get(c) ?? 0) + w / cats.length)
    recent.push({ product: p, weight: w, period, time: e.timestamp, type: code })
    count++
  }
  const state: CustomerState = {
    periods,
    events: count,
    profile: decayedProfile(periods, ref, o.profileHalfLife),
    damped: new Map(),
    segment: -1,
    recent: recent.slice(-RECENT_ITEMS),
  }
  if (base && events.length === 0) {
    state.damped = base.damped
    state.segment = base.segment
    return state
  }
  return placeInStage(stage, state)
}

function validate(req: RecommendRequest, stage: Stage): void {
  if (!req || typeof req !== "object") throw new Error("recommend needs a request object.")
  if (!PLACEMENTS.includes(req.placement)) {
    throw new Error(`Unknown placement "${req.placement}" (expected one of ${PLACEMENTS.join(", ")}).`)
  }
  if (req.limit !== undefined && (!Number.isInteger(req.limit) || req.limit <= 0)) {
    throw new Error(`limit must be a positive integer, got ${req.limit}.`)
  }
  if (req.placement === "related") {
    if (!req.productId) throw new Error('The "related" placement needs a productId.')
    if (!stage.productIds.includes(req.productId)) throw new Error(`Product ${req.productId} is not in the trained catalogue.`)
  }
}

/**
 * Ranks products for one request. Never empty while the (restricted) catalogue
 * has products left, except `recently_viewed`: only the shopper's own views,
 * newest first, so empty for a shopper who viewed nothing.
 */
export function recommend(model: LoadedModel | TrainedArtifacts, req: RecommendRequest): Recommendation {
  const m = loaded(model)
  const stage = m.stage
  validate(req, stage)
  const limit = req.limit ?? DEFAULT_LIMIT
  const known = req.customerId !== undefined ? stage.customerIndex.get(req.customerId) : undefined
  const base = known !== undefined ? stage.customers[known] : undefined
  const state = stateWithEvents(stage, base, req.recentEvents ?? [])
  const seq = m.artifacts.sequence
  let lstm: LstmPrediction | undefined
  const pred = known !== undefined ? m.predictions.get(known) : undefined
  const cand = known !== undefined ? m.candidateScores.get(known) : undefined
  if (seq?.mode === "candidates") lstm = cand ? { scores: cand } : undefined
  else if (seq && pred) lstm = { space: seq.space, dimOf: dimIndex(seq.space), reduced: pred }
  const sig = computeSignals(stage, state, known ?? -1, lstm)
  const cold = state.events <= stage.options.coldEvents
  const ranker = m.artifacts.ranker
  const pop = stage.popularityNorm
  const exclude = new Set(req.exclude ?? [])
  const restrict = req.restrict ? new Set(req.restrict) : undefined
  const allowed = (p: number): boolean => {
    const id = stage.productIds[p]
    return !exclude.has(id) && (!restrict || restrict.has(id))
  }
  const segment = state.segment >= 0 ? stage.segments.segments[state.segment] : undefined
  const title = (p: number): string => stage.productTitles[p] ?? stage.productIds[p]
  const items: RecommendedItem[] = []
  const taken = new Set<number>()
  const push = (p: number, score: number, reasonCode: ReasonCode, reason: string): void => {
    if (taken.has(p) || !allowed(p) || items.length >= limit) return
    taken.add(p)
    items.push({ productId: stage.productIds[p], score: round6(score), reason, reasonCode })
  }

  switch (req.placement) {
    case "for_you": {
      const ctx = featureContext(stage, state, sig)
      const rows = productRows(ctx, productCandidates(ctx))
      const scores = levelScores(ranker.product, "product", rows, cold)
      const at = new Map(Array.from(rows.candidates, (p, j) => [p, j]))
      const byRanker = !cold || ranker.product.cold === "ranker"
      for (const p of rankedList(rows.candidates, scores, stage.topProducts, limit, allowed)) {
        const j = at.get(p)
        if (j === undefined) push(p, pop.product[p], "trending", "trending now")
        else {
          const [code, reason] = byRanker
            ? explain(stage, sig, rows, j, ranker.product, title, segment?.name)
            : ranker.product.cold === "newcomer"
            ? (["trending", "popular with new shoppers"] as const)
            : (["trending", "trending now"] as const)
          push(p, scores[j], code, reason)
        }
      }
      break
    }
    case "related": {
      const target = stage.productIds.indexOf(req.productId as string)
      const scores = new Float64Array(stage.productIds.length)
      const cats = new Map(stage.productCategories[target].map((c) => [c, 1]))
      const sameCat = interestTerm(stage, cats)
      for (let p = 0; p < scores.length; p++) scores[p] = RELATED.sameCategory * sameCat[p] + RELATED.popularity * pop.product[p]
      const idx = stage.knn.index[target]
      for (let j = 0; j < idx.length; j++) scores[idx[j]] += 1 + stage.knn.sim[target][j]
      for (const [p, x] of sig.product.item_knn) scores[p] += RELATED.ownNeighbours * x
      scores[target] = -Infinity
      for (const p of topAllowed(scores, limit, allowed)) {
        push(p, scores[p], "related", scores[p] >= 1 ? `often viewed with ${title(target)}` : `more like ${title(target)}`)
      }
      break
    }
    case "recently_viewed": {
      for (let i = state.recent.length - 1; i >= 0; i--) push(state.recent[i].product, 1, "recently_viewed", "you viewed this recently")
      break
    }
    case "segment": {
      if (segment) {
        const sorted = [...sig.product.segment_popularity.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])
        for (const [p, x] of sorted) push(p, x, "segment", `popular in your segment ${segment.name}`)
      }
      break
    }
    case "trending":
      break
    default:
      assertUnreachable(req.placement, "Unknown placement")
  }
  // Fill up with what is popular now, so no placement comes back empty, except
  // "recently viewed": it lists what the shopper viewed, or nothing.
  if (items.length < limit && req.placement !== "recently_viewed") {
    for (const p of topAllowed(pop.product, limit + taken.size, allowed)) push(p, pop.product[p], "trending", "trending now")
  }
  return { items, segment: segment ? { id: segment.id, name: segment.name } : null, cold }
}

/** Top `n` allowed products by score; -Infinity (ruled out) never counts. */
function topAllowed(scores: Float64Array, n: number, allowed: (p: number) => boolean): number[] {
  return topKDense(scores, n, (p) => scores[p] > -Infinity && allowed(p))
}

/** The reason each product feature stands for (context features explain nothing on their own). */
const FEATURE_REASON: Partial<Record<ProductFeature, ReasonCode>> = {
  repeat_item: "viewed_before",
  own_events: "viewed_before",
  item_visits: "viewed_before",
  session_item: "viewed_before",
  open_intent: "viewed_before",
  hours_since_log: "viewed_before",
  events_since_log: "viewed_before",
  views: "viewed_before",
  carts: "viewed_before",
  wishlists: "viewed_before",
  purchases: "viewed_before",
  item_knn: "viewed_similar",
  knn_rank: "viewed_similar",
  interest: "interest",
  cat_repeat: "interest",
  cat_recent: "interest",
  cat_markov: "interest",
  cat_session: "interest",
  cat_lstm: "interest",
  segment_popularity: "segment",
  cat_segment_prior: "segment",
  cat_transfer: "segment",
  popularity: "trending",
  popularity_recent: "trending",
  trend: "trending",
  newcomer: "trending",
  category_share: "trending",
  cat_popularity: "trending",
}

/**
 * The reason of the feature that raised an item's score most (its contribution in
 * the ranker's trees), taken only when it is true of this customer: "you looked at
 * this before" needs a touch, "because you viewed X" a neighbour source, an interest
 * a personal signal on the category. Otherwise the next strongest feature speaks.
 */
function explain(
  stage: Stage,
  sig: CustomerSignals,
  rows: Rows,
  j: number,
  ranker: LevelRanker,
  title: (p: number) => string,
  segmentName: string | undefined
): [ReasonCode, string] {
  const p = rows.candidates[j]
  const F = PRODUCT_FEATURES.length
  const feature = (name: ProductFeature): number => rows.x[j * F + PRODUCT_FEATURES.indexOf(name)]
  const ranked = [...rowContributions(ranker, "product", rows, j).entries()].filter((e) => e[1] > 0).sort((a, b) => b[1] - a[1])
  for (const [name] of ranked) {
    const code = FEATURE_REASON[name as ProductFeature]
    switch (code) {
      case "viewed_before":
        if (feature("own_events") > 0) return [code, "you looked at this before"]
        break
      case "viewed_similar": {
        const source = sig.knnSource.get(p)
        if (source !== undefined && feature("item_knn") > 0) return [code, `because you viewed ${title(source)}`]
        break
      }
      case "interest": {
        const reason = interestReason(stage, sig, p)
        if (reason) return reason
        break
      }
      case "segment":
        if (segmentName) return [code, `popular in your segment ${segmentName}`]
        break
      case "trending":
        return [code, "trending now"]
      default:
        break
    }
  }
  return ["trending", "trending now"]
}

/** "because you like X" / "your interest in X is rising" for the product's category the customer is most into. */
function interestReason(stage: Stage, sig: CustomerSignals, p: number): [ReasonCode, string] | undefined {
  let best = -1
  let bestScore = 0
  for (const c of stage.productCategories[p]) {
    let s = 0
    for (const name of ["repeat", "recent", "markov", "transfer", "lstm", "item_knn", "session", "visits"] as const) s += sig.category[name].get(c) ?? 0
    if (s > bestScore) {
      bestScore = s
      best = c
    }
  }
  // Category interest that only comes from popularity is not the customer's interest.
  if (best < 0) return undefined
  const name = stage.categoryIds[best]
  const recent = sig.category.recent.get(best) ?? 0
  const longTerm = sig.category.repeat.get(best) ?? 0
  return recent > longTerm ? ["interest_rising", `your interest in ${name} is rising`] : ["interest", `because you like ${name}`]
}
