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
import { eventWeightTable } from "../profiles/weights"
import { blendCategories, interestTerm, ownInterestTerm, popularityNorms, scoreProducts } from "../ranking/blend"
import { CustomerSignals, LstmPrediction, computeSignals, placeInStage } from "../ranking/signals"
import { assertUnreachable } from "../util/options"
import { topKDense } from "../util/vectors"
import { LoadedModel, TrainedArtifacts, loadArtifacts } from "./artifacts"
import { CustomerState, RECENT_ITEMS, Stage } from "./stage"

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
  /** @defaultValue 10 */
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
  /** True when the customer had too little history and the cold-start blend was used. */
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
    const w = weights[code] * Math.min(e.quantity && e.quantity > 0 ? e.quantity : 1, 3)
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

/** Ranks products for one request. Never empty while the (restricted) catalogue has products left. */
export function recommend(model: LoadedModel | TrainedArtifacts, req: RecommendRequest): Recommendation {
  const m = loaded(model)
  const stage = m.stage
  validate(req, stage)
  const limit = req.limit ?? 10
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
  const blend = cold ? m.artifacts.blends.model.cold : m.artifacts.blends.model.warm
  const pop = popularityNorms(stage)
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
    items.push({ productId: stage.productIds[p], score: Math.round(score * 1e6) / 1e6, reason, reasonCode })
  }

  switch (req.placement) {
    case "for_you": {
      const catScores = blendCategories(stage, pop.category, sig, blend.category)
      const interest = interestTerm(stage, catScores)
      const ownInterest = ownInterestTerm(stage, sig, catScores)
      const scores = scoreProducts(stage, pop.product, sig, catScores, blend.product, undefined, { interest, ownInterest })
      for (const p of topAllowed(scores, limit, allowed)) {
        const [code, reason] = explain(stage, sig, catScores, blend.product, interest, ownInterest, pop.product, p, title, segment?.name)
        push(p, scores[p], code, reason)
      }
      break
    }
    case "related": {
      const target = stage.productIds.indexOf(req.productId as string)
      const scores = new Float64Array(stage.productIds.length)
      const cats = new Map(stage.productCategories[target].map((c) => [c, 1]))
      const sameCat = interestTerm(stage, cats)
      for (let p = 0; p < scores.length; p++) scores[p] = 0.1 * sameCat[p] + 1e-6 * pop.product[p]
      const idx = stage.knn.index[target]
      for (let j = 0; j < idx.length; j++) scores[idx[j]] += 1 + stage.knn.sim[target][j]
      for (const [p, x] of sig.product.item_knn) scores[p] += 0.05 * x
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
  // Fill up with what is popular now, so no placement comes back empty.
  if (items.length < limit) {
    for (const p of topAllowed(pop.product, limit + taken.size, allowed)) push(p, pop.product[p], "trending", "trending now")
  }
  return { items, segment: segment ? { id: segment.id, name: segment.name } : null, cold }
}

/** Top `n` allowed products by score; -Infinity (ruled out) never counts. */
function topAllowed(scores: Float64Array, n: number, allowed: (p: number) => boolean): number[] {
  return topKDense(scores, n, (p) => scores[p] > -Infinity && allowed(p))
}

/** The signal that contributed most to an item's score, as a short sentence. */
function explain(
  stage: Stage,
  sig: CustomerSignals,
  catScores: Map<number, number>,
  w: { [k: string]: number | undefined },
  interest: Float64Array,
  ownInterest: Map<number, number>,
  popNorm: Float64Array,
  p: number,
  title: (p: number) => string,
  segmentName: string | undefined
): [ReasonCode, string] {
  const parts: [ReasonCode, number][] = [
    ["viewed_similar", (w.item_knn ?? 0) * (sig.product.item_knn.get(p) ?? 0)],
    ["viewed_similar", (w.knn_rank ?? 0) * (sig.product.knn_rank.get(p) ?? 0)],
    ["viewed_before", (w.repeat_item ?? 0) * (sig.product.repeat_item.get(p) ?? 0)],
    ["viewed_before", (w.repeat_rank ?? 0) * (sig.product.repeat_rank.get(p) ?? 0)],
    ["viewed_before", (w.session_item ?? 0) * (sig.product.session_item.get(p) ?? 0)],
    ["viewed_before", (w.item_visits ?? 0) * (sig.product.item_visits.get(p) ?? 0)],
    ["viewed_before", (w.open_intent ?? 0) * (sig.product.open_intent.get(p) ?? 0)],
    ["viewed_before", (w.own_interest ?? 0) * (ownInterest.get(p) ?? 0)],
    ["interest", (w.interest ?? 0) * interest[p]],
    ["segment", (w.segment_popularity ?? 0) * (sig.product.segment_popularity.get(p) ?? 0)],
    ["trending", (w.popularity ?? 0) * popNorm[p]],
    ["trending", (w.newcomer ?? 0) * (sig.product.newcomer.get(p) ?? 0)],
  ]
  parts.sort((a, b) => b[1] - a[1])
  const [code, value] = parts[0]
  if (value <= 0) return ["trending", "trending now"]
  switch (code) {
    case "viewed_similar": {
      const source = sig.knnSource.get(p)
      return source !== undefined ? [code, `because you viewed ${title(source)}`] : ["trending", "trending now"]
    }
    case "viewed_before":
      return [code, "you looked at this before"]
    case "interest": {
      let best = -1
      let bestScore = -Infinity
      for (const c of stage.productCategories[p]) {
        const s = catScores.get(c) ?? 0
        if (s > bestScore) {
          bestScore = s
          best = c
        }
      }
      if (best < 0) return ["trending", "trending now"]
      const name = stage.categoryIds[best]
      const personal = (["repeat", "recent", "markov", "transfer", "lstm", "item_knn", "session", "visits"] as const).some(
        (s) => (sig.category[s].get(best) ?? 0) > 0
      )
      // Category interest that only comes from popularity is not the customer's interest.
      if (!personal) return ["trending", "trending now"]
      const recent = sig.category.recent.get(best) ?? 0
      const longTerm = sig.category.repeat.get(best) ?? 0
      return recent > longTerm ? ["interest_rising", `your interest in ${name} is rising`] : ["interest", `because you like ${name}`]
    }
    case "segment":
      return segmentName ? [code, `popular in your segment ${segmentName}`] : ["trending", "trending now"]
    default:
      return ["trending", "trending now"]
  }
}
