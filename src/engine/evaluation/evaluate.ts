/**
 * Offline evaluation on a time split: each customer's last active period is the
 * test, everything before it the input. The model is trained on the inputs only
 * (the ranker on every earlier cut-off), then every method ranks the
 * full catalogue (no sampled negatives) for every customer, at category and
 * product level, reported for the cohorts all / cold (<= coldEvents events before
 * the test period) / warm. With split "dev" each customer's last active period is
 * removed first, so all of that runs one period earlier and the test is never read.
 */
import { buildDataset } from "../data/dataset"
import { CatalogProduct, InterestEvent } from "../types"
import { BASELINES, Baseline, baselineCategoryScores, baselineProductScores } from "../ranking/baselines"
import { customerRows } from "../ranking/features"
import { levelScores, rankedList } from "../ranking/interest-ranker"
import { computeSignals } from "../ranking/signals"
import { computeEventPeriods } from "../profiles/period-profiles"
import { DEFAULT_ENGINE_OPTIONS, EngineOptions, resolveEngineOptions } from "../core/options"
import { RANKER_METHODS, RankerMethod, TrainReport, lastPeriodStart, lstmPredictionFor, relevantInRange, trainModel } from "../pipeline/train-model"
import { topKDense } from "../util/vectors"
import { MetricAccumulator, RankingMetrics, rankingMetrics } from "./metrics"
import { PairedComparison, pairedComparison } from "./paired"
import { DevSplitReport, Split, applyDevSplit, isSplit } from "./dev-split"
import { Reachability, computeReachability, reachabilityK } from "./reachability"

export type Level = "category" | "product"
export const METHOD_NAMES = [...RANKER_METHODS, ...BASELINES] as const
export type MethodName = RankerMethod | Baseline
export type Cohort = "all" | "cold" | "warm"

export interface EvaluationRow extends RankingMetrics {
  method: MethodName
  level: Level
  cohort: Cohort
  k: number
  customers: number
}

/** `model` minus another method, paired over the customers of cohort "all". */
export interface ModelComparison extends PairedComparison {
  /** The method the model is compared with. */
  versus: MethodName
  level: Level
  k: number
}

export interface EvaluationOptions {
  engine: Partial<EngineOptions>
  /** Cut-offs reported. @defaultValue [5, 10] */
  ks: number[]
  /**
   * "test": each customer's last active period is the test. "dev": that period is
   * removed before anything else, so the test is the second-to-last one (for tuning).
   * @defaultValue "test"
   */
  split: Split
}

export interface EvaluationResult {
  split: Split
  devSplit?: DevSplitReport
  results: EvaluationRow[]
  customers: Record<Cohort, number>
  products: number
  categories: number
  trainingMs: number
  evaluationMs: number
  /** Peak resident memory of the process (MB). */
  peakRssMb: number
  backend: string
  report: TrainReport
  /**
   * The shipped model's NDCG on its own validation cut-off (what early stopping and
   * the cold-start rule looked at) next to the test: a large gap means it was fitted
   * to the validation periods rather than to the customers.
   */
  gap: { level: Level; k: number; validation: number; test: number }[]
  /** Paired per-customer NDCG differences, model - each other method, every level and k. */
  comparisons: ModelComparison[]
  /** Which product-level test items any behaviour-based method could have known. */
  reachability: Reachability
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024)
}

/** Cut-offs evaluated when none are asked for: the ones the rankers are fitted for. */
export const DEFAULT_KS: readonly number[] = [DEFAULT_ENGINE_OPTIONS.fitK.category, DEFAULT_ENGINE_OPTIONS.fitK.product]

export async function evaluateOnEvents(
  events: InterestEvent[],
  catalog: CatalogProduct[],
  options: Partial<EvaluationOptions> = {},
  onProgress?: (message: string) => void
): Promise<EvaluationResult> {
  const ks = options.ks ?? [...DEFAULT_KS]
  if (ks.length === 0 || ks.some((k) => !Number.isInteger(k) || k <= 0)) {
    throw new Error(`k values must be positive integers, got ${ks.join(",")}.`)
  }
  const split = options.split ?? "test"
  if (!isSplit(split)) throw new Error(`split must be "test" or "dev", got "${String(split)}".`)
  const o = resolveEngineOptions(options.engine)
  const t0 = Date.now()
  const dev = split === "dev" ? applyDevSplit(events, catalog, o.period) : undefined
  if (dev && dev.events.length === 0) {
    throw new Error(`No events left for the dev split: every customer was active in one ${o.period} only.`)
  }
  const ds = dev ? buildDataset(dev.events, dev.catalog) : buildDataset(events, catalog)
  const periods = computeEventPeriods(ds, o.period)
  const ends = ds.customerOffsets.slice(1)
  const testStart = lastPeriodStart(ds, periods, ends)
  const trained = await trainModel(ds, periods, testStart, o, { onProgress }, [], { extraMethods: [...RANKER_METHODS] })
  const trainingMs = Date.now() - t0
  onProgress?.(`trained in ${(trainingMs / 1000).toFixed(1)} s`)

  const t1 = Date.now()
  const stage = trained.stage
  const maxK = Math.max(...ks)
  const acc = new Map<string, MetricAccumulator>()
  // NDCG of every customer (cohort "all"), in the same customer order for every method: paired differences.
  const perCustomer = new Map<string, number[]>()
  const key = (m: string, l: Level, c: Cohort, k: number): string => `${m}|${l}|${c}|${k}`
  const add = (m: MethodName, l: Level, cohort: Cohort, ranked: number[], relevant: Set<number>): void => {
    for (const c of ["all", cohort] as Cohort[]) {
      for (const k of ks) {
        const id = key(m, l, c, k)
        let a = acc.get(id)
        if (!a) {
          a = new MetricAccumulator()
          acc.set(id, a)
        }
        const metrics = rankingMetrics(ranked, relevant, k)
        a.add(metrics)
        if (c === "all") {
          let list = perCustomer.get(id)
          if (!list) perCustomer.set(id, (list = []))
          list.push(metrics.ndcg)
        }
      }
    }
  }
  const counts: Record<Cohort, number> = { all: 0, cold: 0, warm: 0 }
  const scores = new Float64Array(ds.productIds.length)
  const scratch = new Float64Array(ds.productIds.length)
  for (let c = 0; c < ds.customerIds.length; c++) {
    const end = ds.customerOffsets[c + 1]
    if (end <= testStart[c]) continue
    const state = stage.customers[c]
    const cold = state.events <= o.coldEvents
    const cohort: Cohort = cold ? "cold" : "warm"
    counts.all++
    counts[cohort]++
    const relevant = relevantInRange(ds, testStart[c], end)
    const sig = computeSignals(stage, state, c, lstmPredictionFor(trained.sequence?.folds[0], trained.predictions, c))
    const { category: cat, product: prod } = customerRows(stage, state, sig, scratch)
    for (const m of RANKER_METHODS) {
      const r = trained.rankers[m]
      if (!r) continue
      add(m, "category", cohort, rankedList(cat.candidates, levelScores(r.category, "category", cat, cold), stage.topCategories, maxK), relevant.categories)
      add(m, "product", cohort, rankedList(prod.candidates, levelScores(r.product, "product", prod, cold), stage.topProducts, maxK), relevant.products)
    }
    for (const b of BASELINES) {
      const catScores = baselineCategoryScores(stage, sig, b)
      add(b, "category", cohort, topOfMap(catScores, maxK), relevant.categories)
      add(b, "product", cohort, topKDense(baselineProductScores(stage, sig, b, catScores, scores), maxK), relevant.products)
    }
  }
  const results: EvaluationRow[] = []
  for (const m of METHOD_NAMES) {
    for (const level of ["category", "product"] as Level[]) {
      for (const cohort of ["all", "cold", "warm"] as Cohort[]) {
        for (const k of ks) {
          const a = acc.get(key(m, level, cohort, k))
          if (!a) continue
          results.push({ method: m, level, cohort, k, customers: a.count, ...a.mean() })
        }
      }
    }
  }
  const comparisons: ModelComparison[] = []
  for (const versus of METHOD_NAMES) {
    if (versus === "model") continue
    for (const level of ["category", "product"] as Level[]) {
      for (const k of ks) {
        const m = perCustomer.get(key("model", level, "all", k))
        const b = perCustomer.get(key(versus, level, "all", k))
        if (m && b) comparisons.push({ versus, level, k, ...pairedComparison(m, b, o.seed) })
      }
    }
  }
  const reachability = computeReachability(ds, testStart, reachabilityK(ks))
  const lstm = trained.report.lstm
  for (const f of trained.sequence?.folds ?? []) f.model.dispose()
  const gap = (["category", "product"] as Level[]).map((level) => {
    const k = o.fitK[level]
    const fit = trained.report.rankers.model?.[level]
    const test = results.find((r) => r.method === "model" && r.level === level && r.cohort === "all" && r.k === k)
    return { level, k, validation: fit?.validation ?? NaN, test: test ? test.ndcg : NaN }
  })
  return {
    split,
    ...(dev ? { devSplit: dev.report } : {}),
    results,
    customers: counts,
    products: ds.productIds.length,
    categories: ds.facets.category.ids.length,
    trainingMs,
    evaluationMs: Date.now() - t1,
    peakRssMb: peakRssMb(),
    backend: lstm.used ? lstm.backend : "none (no LSTM)",
    report: trained.report,
    gap,
    comparisons,
    reachability,
  }
}

/** Top-k keys of a score map (ties: lower index first). */
function topOfMap(scores: Map<number, number>, k: number): number[] {
  return [...scores.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, k)
    .map((e) => e[0])
}
