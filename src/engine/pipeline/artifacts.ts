/**
 * TrainedArtifacts: everything `recommend` needs, as plain JSON (a jsonb column or
 * a file). `loadArtifacts` turns it back into the in-memory stage once; callers
 * keep the loaded model and call `recommend` on it per request.
 */
import type { SerializedSequenceModel } from "../sequence/contract"
import { Dataset, Facet } from "../data/dataset"
import { InterestSpace } from "../features/interest-space"
import { PeriodProfile, decayedProfile, periodProfiles } from "../profiles/period-profiles"
import { eventWeightTable } from "../profiles/weights"
import { InterestRanker } from "../ranking/interest-ranker"
import { Segment } from "../segments/segments"
import { SparseVector, normalizeL1 } from "../util/vectors"
import { applyIdf } from "../profiles/idf"
import { ResolvedEngineOptions } from "../core/options"
import { CustomerState, Stage, TOP_CATEGORIES, TOP_PRODUCTS, maxNormalized, stageSeasons } from "../core/stage"
import { round6 } from "../util/round"
import { TrainReport, TrainedModel } from "./train-model"

export const ARTIFACTS_FORMAT = "medusa-interest-artifacts/2" as const

type Pairs = [number, number][]

export interface SerializedCustomer {
  events: number
  segment: number
  /** [period, events, [[category index, weight], ...]] oldest first. */
  periods: [number, number, Pairs][]
  /** [product index, weight, period, time, event type code?] of the last events, oldest first. */
  recent: ([number, number, number, number] | [number, number, number, number, number])[]
  /** Decayed profiles over collections, tags and types, where products have them. */
  facets?: Partial<Record<Exclude<Facet, "category">, Pairs>>
}

export interface TrainedArtifacts {
  format: typeof ARTIFACTS_FORMAT
  createdAt: string
  options: ResolvedEngineOptions
  refPeriod: number
  refTime: number
  products: { ids: string[]; titles: (string | null)[]; categories: number[][] }
  categories: string[]
  facetIds: Partial<Record<Exclude<Facet, "category">, string[]>>
  popularity: { product: number[]; category: number[]; categoryMass: number[]; newcomer: Pairs; recentProduct: number[]; recentCategory: number[] }
  markov: [number, Pairs][]
  neighbours: { index: number[][]; sim: number[][] }
  idf: number[]
  segments: {
    dimensions: number[]
    centroids: number[][]
    list: Segment[]
    silhouette: number
    interests: Pairs[]
    products: Pairs[]
    members: number[][]
  }
  customers: { ids: string[]; states: SerializedCustomer[] }
  /** The shipped ranker (both levels, with their cold-start rules). */
  ranker: InterestRanker
  /** The cross-fitted LSTM (train-model.ts FoldedSequence): one model per customer fold. */
  sequence: { models: SerializedSequenceModel[]; foldOf: number[]; space: InterestSpace; lookback: number; mode: "space" | "candidates" } | null
  /**
   * Next-period predictions of the LSTM per customer index: mode "space", the reduced-space
   * distribution; mode "candidates", [category, score, category, score, ...].
   */
  predictions: [number, number[]][]
  report: TrainReport
}

const pairs = (v: SparseVector): Pairs => [...v.entries()].map(([k, x]) => [k, round6(x)])

/**
 * `consume`: the model is not used afterwards, so each customer's in-memory state is
 * dropped as soon as it is serialised; the two forms of 100k customers then never
 * coexist in full (this is what keeps bench:train's peak memory under 2 GB).
 */
export async function toArtifacts(
  model: TrainedModel,
  ds: Dataset,
  eventPeriods: Int32Array,
  options: { consume?: boolean } = {}
): Promise<TrainedArtifacts> {
  const s = model.stage
  const o = s.options
  const weightTable = eventWeightTable(o.eventWeights)
  const otherFacets = (["collection", "tag", "type"] as const).filter((f) => ds.facets[f].ids.length > 0)
  const facetIds: TrainedArtifacts["facetIds"] = {}
  for (const f of otherFacets) facetIds[f] = ds.facets[f].ids
  const emptyState: CustomerState = { periods: [], events: 0, profile: new Map(), damped: new Map(), segment: -1, recent: [] }
  const states: SerializedCustomer[] = s.customers.map((c, i) => {
    if (options.consume) s.customers[i] = emptyState
    const out: SerializedCustomer = {
      events: c.events,
      segment: c.segment,
      periods: c.periods.map((p) => [p.period, p.events, pairs(p.vector)]),
      recent: c.recent.map((r) => (r.type === undefined ? [r.product, round6(r.weight), r.period, r.time] : [r.product, round6(r.weight), r.period, r.time, r.type])),
    }
    if (otherFacets.length) {
      out.facets = {}
      const start = ds.customerOffsets[i]
      const end = start + c.events
      for (const f of otherFacets) {
        const prof = periodProfiles(ds, eventPeriods, start, end, f, weightTable)
        out.facets[f] = pairs(normalizeL1(decayedProfile(prof, s.refPeriod, o.profileHalfLife)))
      }
    }
    return out
  })
  const predictions: [number, number[]][] = [...model.predictions.entries()].map(([c, v]) => [c, Array.from(v, round6)])
  return {
    format: ARTIFACTS_FORMAT,
    createdAt: new Date().toISOString(),
    options: o,
    refPeriod: s.refPeriod,
    refTime: s.refTime,
    products: { ids: s.productIds, titles: s.productTitles.map((t) => t ?? null), categories: s.productCategories },
    categories: s.categoryIds,
    facetIds,
    popularity: {
      product: Array.from(s.popularity.product, round6),
      category: Array.from(s.popularity.category, round6),
      categoryMass: Array.from(s.popularity.categoryMass, round6),
      newcomer: pairs(s.newcomerProducts),
      recentProduct: Array.from(s.recentPopularity.product, round6),
      recentCategory: Array.from(s.recentPopularity.category, round6),
    },
    markov: [...s.markov.entries()].map(([a, row]) => [a, pairs(row)]),
    neighbours: { index: s.knn.index.map((x) => Array.from(x)), sim: s.knn.sim.map((x) => Array.from(x, round6)) },
    idf: Array.from(s.idf, round6),
    segments: {
      dimensions: s.segments.dimensions,
      centroids: s.segments.centroids.map((c) => c.map(round6)),
      list: s.segments.segments,
      silhouette: round6(s.segments.silhouette),
      interests: s.segmentInterests.map(pairs),
      products: s.segmentProducts.map(pairs),
      members: s.segmentMembers,
    },
    customers: { ids: s.customerIds, states },
    ranker: model.rankers.model,
    sequence: model.sequence
      ? {
          models: await Promise.all(model.sequence.folds.map((f) => f.model.serialize())),
          foldOf: Array.from(model.sequence.foldOf),
          space: model.sequence.folds[0].space,
          lookback: model.sequence.folds[0].lookback,
          mode: model.sequence.folds[0].mode,
        }
      : null,
    predictions,
    report: model.report,
  }
}

/** The in-memory form `recommend` works on. */
export interface LoadedModel {
  artifacts: TrainedArtifacts
  stage: Stage
  /** Reduced-space predictions (mode "space"; empty in mode "candidates"). */
  predictions: Map<number, Float32Array>
  /** The LSTM's scores of each customer's own candidate categories (mode "candidates"). */
  candidateScores: Map<number, Map<number, number>>
}

function toPeriods(p: SerializedCustomer["periods"]): PeriodProfile[] {
  return p.map(([period, events, vec]) => ({ period, events, vector: new Map(vec) }))
}

export function loadArtifacts(a: TrainedArtifacts): LoadedModel {
  if (!a || a.format !== ARTIFACTS_FORMAT) {
    throw new Error(`Unknown artifacts format: ${a ? String((a as { format?: unknown }).format) : a}.`)
  }
  const o = a.options
  const idf = Float64Array.from(a.idf)
  const nCats = a.categories.length
  const categorySize = new Float64Array(nCats)
  for (const cats of a.products.categories) for (const c of cats) categorySize[c]++
  const customers: CustomerState[] = a.customers.states.map((c) => {
    const periods = toPeriods(c.periods)
    const profile = decayedProfile(periods, a.refPeriod, o.profileHalfLife)
    return {
      periods,
      events: c.events,
      profile,
      damped: normalizeL1(applyIdf(profile, idf)),
      segment: c.segment,
      recent: c.recent.map(([product, weight, period, time, type]) => ({ product, weight, period, time, type })),
    }
  })
  const productPop = Float64Array.from(a.popularity.product)
  const catPop = Float64Array.from(a.popularity.category)
  const order = (arr: Float64Array, n: number): number[] =>
    Array.from(arr.keys())
      .sort((x, y) => arr[y] - arr[x] || x - y)
      .slice(0, n)
  const stage: Stage = {
    options: o,
    refPeriod: a.refPeriod,
    refTime: a.refTime,
    productIds: a.products.ids,
    productTitles: a.products.titles.map((t) => t ?? undefined),
    categoryIds: a.categories,
    productCategories: a.products.categories,
    categorySize,
    popularity: { product: productPop, category: catPop, categoryMass: Float64Array.from(a.popularity.categoryMass) },
    popularityNorm: { product: maxNormalized(productPop), category: maxNormalized(catPop) },
    recentPopularity: { product: Float64Array.from(a.popularity.recentProduct), category: Float64Array.from(a.popularity.recentCategory) },
    newcomerProducts: new Map(a.popularity.newcomer),
    topProducts: order(productPop, TOP_PRODUCTS),
    topCategories: order(catPop, TOP_CATEGORIES),
    markov: new Map(a.markov.map(([k, row]) => [k, new Map(row)])),
    knn: { index: a.neighbours.index.map((x) => Int32Array.from(x)), sim: a.neighbours.sim.map((x) => Float32Array.from(x)) },
    idf,
    segments: {
      dimensions: a.segments.dimensions,
      centroids: a.segments.centroids,
      segments: a.segments.list,
      silhouette: a.segments.silhouette,
      assignments: Int32Array.from(a.customers.states.map((c) => c.segment)),
    },
    segmentInterests: a.segments.interests.map((p) => new Map(p)),
    segmentProducts: a.segments.products.map((p) => new Map(p)),
    segmentMembers: a.segments.members,
    customerIds: a.customers.ids,
    customerIndex: new Map(a.customers.ids.map((id, i) => [id, i])),
    customers,
    seasons: stageSeasons(o, customers, a.refPeriod, nCats),
  }
  const candidates = a.sequence?.mode === "candidates"
  const candidateScores = new Map<number, Map<number, number>>()
  if (candidates) {
    for (const [c, v] of a.predictions) {
      const m = new Map<number, number>()
      for (let k = 0; k + 1 < v.length; k += 2) m.set(v[k], v[k + 1])
      candidateScores.set(c, m)
    }
  }
  return {
    artifacts: a,
    stage,
    predictions: candidates ? new Map() : new Map(a.predictions.map(([c, v]) => [c, Float32Array.from(v)])),
    candidateScores,
  }
}
