/**
 * A "stage" is everything learnt from one set of visible events: profiles,
 * popularity, Markov chain, co-occurrence neighbours, segments and the customer
 * states transfer needs. The pipeline fits one stage for validation (history
 * before each customer's last period) and one on all events; evaluation fits the
 * same two on the events before the test period.
 */
import { Dataset } from "../data/dataset"
import { DAY_MS } from "../data/periods"
import { Popularity, fitPopularity } from "../baselines/popularity"
import { MarkovChain, fitMarkov } from "../baselines/markov"
import { ItemNeighbours, fitItemKnn } from "../baselines/item-knn"
import { PeriodProfile, decayedProfile, periodProfiles } from "../profiles/period-profiles"
import { applyIdf, inverseDocumentFrequency } from "../profiles/idf"
import { QUANTITY_CAP, decayFactor, eventWeightTable } from "../profiles/weights"
import { crowdWeights } from "../profiles/influence"
import { PreviousSegment } from "../segments/match"
import { SegmentModel, fitSegments } from "../segments/segments"
import { SeededRandom } from "../util/random"
import { SparseVector, addInto, normalizeL1, topKDense } from "../util/vectors"
import { SeasonFeatures, seasonFeatures } from "./season-features"
import { ResolvedEngineOptions, SEED_OFFSETS, resolveSeasonOptions } from "./options"

export interface RecentItem {
  product: number
  /** Event weight (type x quantity). */
  weight: number
  period: number
  time: number
  /** Event type code (index in EVENT_TYPES); absent in artifacts written before it was kept. */
  type?: number
}

export interface CustomerState {
  periods: PeriodProfile[]
  events: number
  /** Decayed category profile (raw weights, not normalised). */
  profile: SparseVector
  /** IDF-damped profile as a distribution: what segments and neighbours compare. */
  damped: SparseVector
  segment: number
  /** The customer's last events, oldest first (at most RECENT_ITEMS). */
  recent: RecentItem[]
}

export const RECENT_ITEMS = 50
/** Most popular products and categories a stage keeps in order (candidates, fallbacks). */
export const TOP_PRODUCTS = 500
export const TOP_CATEGORIES = 100
/** Products kept of what newcomers engage with. */
const NEWCOMER_PRODUCTS = 500
/** Members sampled per segment for the nearest-customer search of transfer. */
const SEGMENT_MEMBER_SAMPLE = 300
/** Categories and products kept per segment (its mean interests, its popular products). */
const SEGMENT_INTERESTS_KEPT = 200
const SEGMENT_PRODUCTS_KEPT = 100

export interface Stage {
  options: ResolvedEngineOptions
  refPeriod: number
  refTime: number
  productIds: string[]
  productTitles: (string | undefined)[]
  categoryIds: string[]
  productCategories: number[][]
  /** Products per category (for within-category shares). */
  categorySize: Float64Array
  popularity: Popularity
  /** `popularity` scaled to max 1 per level. */
  popularityNorm: { product: Float64Array; category: Float64Array }
  /**
   * Popularity "right now": event weights decayed by the hours before the stage's
   * last event (half-life one period), scaled to max 1. Where the period decay
   * treats a whole day (or week) alike, this one tells this morning from last night.
   */
  recentPopularity: { product: Float64Array; category: Float64Array }
  /**
   * What customers engage with in their first active period (decayed like
   * popularity, top NEWCOMER_PRODUCTS, max 1): transfer from earlier newcomers to a new one.
   */
  newcomerProducts: SparseVector
  /** Product indices by decreasing popularity (top TOP_PRODUCTS). */
  topProducts: number[]
  /** Category indices by decreasing popularity (top TOP_CATEGORIES). */
  topCategories: number[]
  markov: MarkovChain
  knn: ItemNeighbours
  idf: Float64Array
  segments: SegmentModel
  /** Each segment's mean (undamped) interest distribution over categories. */
  segmentInterests: SparseVector[]
  /** Each segment's popular products (decayed weights). */
  segmentProducts: SparseVector[]
  /** A seeded sample of each segment's members, searched for nearest customers. */
  segmentMembers: number[][]
  customerIds: string[]
  customerIndex: Map<string, number>
  customers: CustomerState[]
  /** Each category's seasonal index for the period after `refPeriod` (core/season-features.ts). */
  seasons: SeasonFeatures
}

/** The stage's seasonal features, from its customers' period profiles (fitting and loading alike). */
export function stageSeasons(o: ResolvedEngineOptions, customers: CustomerState[], refPeriod: number, nCats: number): SeasonFeatures {
  return seasonFeatures(customers, o.period, refPeriod, nCats, resolveSeasonOptions(o.seasons))
}

export function buildCustomerState(
  ds: Dataset,
  eventPeriods: Int32Array,
  start: number,
  end: number,
  weightTable: Float64Array,
  refPeriod: number,
  halfLife: number
): CustomerState {
  const periods = periodProfiles(ds, eventPeriods, start, end, "category", weightTable)
  const recent: RecentItem[] = []
  for (let i = Math.max(start, end - RECENT_ITEMS); i < end; i++) {
    recent.push({
      product: ds.eventProduct[i],
      weight: weightTable[ds.eventType[i]] * Math.min(ds.eventQuantity[i], QUANTITY_CAP),
      period: eventPeriods[i],
      time: ds.eventTime[i],
      type: ds.eventType[i],
    })
  }
  return {
    periods,
    events: end - start,
    profile: decayedProfile(periods, refPeriod, halfLife),
    damped: new Map(),
    segment: -1,
    recent,
  }
}

/** Length of one period in milliseconds: the half-life of "popular right now". */
const PERIOD_MS: Record<ResolvedEngineOptions["period"], number> = { day: DAY_MS, week: 7 * DAY_MS, month: 30 * DAY_MS }

export function maxNormalized(a: ArrayLike<number>): Float64Array {
  let m = 0
  for (let i = 0; i < a.length; i++) if (a[i] > m) m = a[i]
  const out = new Float64Array(a.length)
  if (m > 0) for (let i = 0; i < a.length; i++) out[i] = a[i] / m
  return out
}

/** Recent popularity of products and (split over each product's categories) of categories, both max 1. */
export function recentPopularityOf(product: ArrayLike<number>, productCategories: number[][], nCats: number): Stage["recentPopularity"] {
  const category = new Float64Array(nCats)
  for (let p = 0; p < product.length; p++) {
    const cats = productCategories[p]
    for (const c of cats) category[c] += product[p] / cats.length
  }
  return { product: maxNormalized(product), category: maxNormalized(category) }
}

/**
 * Fits a stage on events [customerOffsets[c], visibleEnd[c]) of every customer.
 */
export function fitStage(
  ds: Dataset,
  eventPeriods: Int32Array,
  visibleEnd: Int32Array,
  o: ResolvedEngineOptions,
  previousSegments: PreviousSegment[] = []
): Stage {
  const weightTable = eventWeightTable(o.eventWeights)
  const nCustomers = ds.customerIds.length
  let refPeriod = -Infinity
  let refTime = -Infinity
  for (let c = 0; c < nCustomers; c++) {
    const end = visibleEnd[c]
    if (end > ds.customerOffsets[c]) {
      refPeriod = Math.max(refPeriod, eventPeriods[end - 1])
      refTime = Math.max(refTime, ds.eventTime[end - 1])
    }
  }
  if (!Number.isFinite(refPeriod)) throw new Error("There are no events to learn from.")

  const customers: CustomerState[] = new Array(nCustomers)
  for (let c = 0; c < nCustomers; c++) {
    customers[c] = buildCustomerState(ds, eventPeriods, ds.customerOffsets[c], visibleEnd[c], weightTable, refPeriod, o.profileHalfLife)
  }
  const productCategories = ds.facets.category.productFacets
  const nCats = ds.facets.category.ids.length
  // Crowd signals count each shopper's bounded say, never raw events (profiles/influence.ts).
  const crowd = crowdWeights(ds, eventPeriods, visibleEnd, weightTable, o.influence)
  const popularity = fitPopularity({
    nProducts: ds.productIds.length,
    productCategories,
    refPeriod,
    halfLifePeriods: o.popularityHalfLife,
    forEachEvent: (visit) => {
      for (let c = 0; c < nCustomers; c++) {
        for (let i = ds.customerOffsets[c]; i < visibleEnd[c]; i++) visit(ds.eventProduct[i], crowd.event[i], eventPeriods[i])
      }
    },
  })
  const recentHalfLifeMs = PERIOD_MS[o.period]
  const recentProduct = new Float64Array(ds.productIds.length)
  for (let c = 0; c < nCustomers; c++) {
    for (let i = ds.customerOffsets[c]; i < visibleEnd[c]; i++) {
      recentProduct[ds.eventProduct[i]] += crowd.event[i] * decayFactor(refTime - ds.eventTime[i], recentHalfLifeMs)
    }
  }
  const categorySize = new Float64Array(nCats)
  for (const cats of productCategories) for (const c of cats) categorySize[c]++
  const newcomer = new Float64Array(ds.productIds.length)
  for (let c = 0; c < nCustomers; c++) {
    const start = ds.customerOffsets[c]
    const first = eventPeriods[start]
    const decay = decayFactor(refPeriod - first, o.popularityHalfLife)
    for (let i = start; i < visibleEnd[c] && eventPeriods[i] === first; i++) {
      newcomer[ds.eventProduct[i]] += crowd.event[i] * decay
    }
  }
  const newcomerTop = topKDense(newcomer, NEWCOMER_PRODUCTS).filter((p) => newcomer[p] > 0)
  const newcomerMax = newcomerTop.length ? newcomer[newcomerTop[0]] : 1
  const newcomerProducts: SparseVector = new Map(newcomerTop.map((p) => [p, newcomer[p] / newcomerMax]))
  const markov = fitMarkov(customers.map((s, c) => ({ periods: s.periods.map((p) => p.vector), weight: crowd.shopper[c] })))
  const knn = fitItemKnn(
    ds.productIds.length,
    (function* () {
      for (let c = 0; c < nCustomers; c++) {
        yield { products: ds.eventProduct.subarray(ds.customerOffsets[c], visibleEnd[c]), weight: crowd.shopper[c] }
      }
    })(),
    { window: o.knnWindow, topN: o.knnTopN }
  )
  const idf = inverseDocumentFrequency(
    customers.filter((s) => s.events > 0).map((s) => s.profile),
    nCats
  )
  for (const s of customers) s.damped = normalizeL1(applyIdf(s.profile, idf))
  const segments = fitSegments(
    customers.map((s) => s.damped),
    ds.facets.category.ids,
    o.segments,
    previousSegments
  )
  const k = segments.segments.length
  const segmentInterests: SparseVector[] = Array.from({ length: k }, () => new Map())
  const segmentProducts: SparseVector[] = Array.from({ length: k }, () => new Map())
  const members: number[][] = Array.from({ length: k }, () => [])
  customers.forEach((s, c) => {
    const seg = segments.assignments[c]
    s.segment = seg
    if (seg < 0) return
    members[seg].push(c)
    addInto(segmentInterests[seg], normalizeL1(s.profile))
    // The same events as `s.recent`, with their crowd weights.
    for (let i = Math.max(ds.customerOffsets[c], visibleEnd[c] - RECENT_ITEMS); i < visibleEnd[c]; i++) {
      const w = crowd.event[i] * decayFactor(refPeriod - eventPeriods[i], o.popularityHalfLife)
      segmentProducts[seg].set(ds.eventProduct[i], (segmentProducts[seg].get(ds.eventProduct[i]) ?? 0) + w)
    }
  })
  const rng = new SeededRandom(o.seed + SEED_OFFSETS.segmentMembers)
  const segmentMembers = members.map((m) => rng.sampleIndices(m.length, SEGMENT_MEMBER_SAMPLE).map((i) => m[i]))
  const truncate = (v: SparseVector, n: number): SparseVector =>
    normalizeL1(new Map([...v.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, n)))

  return {
    options: o,
    refPeriod,
    refTime,
    productIds: ds.productIds,
    productTitles: ds.products.map((p) => p.title),
    categoryIds: ds.facets.category.ids,
    productCategories,
    categorySize,
    popularity,
    popularityNorm: { product: maxNormalized(popularity.product), category: maxNormalized(popularity.category) },
    recentPopularity: recentPopularityOf(recentProduct, productCategories, nCats),
    newcomerProducts,
    topProducts: topKDense(popularity.product, TOP_PRODUCTS),
    topCategories: topKDense(popularity.category, TOP_CATEGORIES),
    markov,
    knn,
    idf,
    segments,
    segmentInterests: segmentInterests.map((v) => truncate(v, SEGMENT_INTERESTS_KEPT)),
    segmentProducts: segmentProducts.map((v) => truncate(v, SEGMENT_PRODUCTS_KEPT)),
    segmentMembers,
    customerIds: ds.customerIds,
    customerIndex: ds.customerIndex,
    customers,
    seasons: stageSeasons(o, customers, refPeriod, nCats),
  }
}
