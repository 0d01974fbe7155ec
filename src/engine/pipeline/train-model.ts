/**
 * Training, in memory: relative cut-offs (pipeline/cutoffs.ts) -> one stage and one
 * query per customer and cut-off -> the ranker at category and product level
 * (ranking/fit-ranker.ts) -> the full stage and the LSTM's next-period predictions.
 * `trainPipeline` (artifacts) and the evaluation both call this.
 */
import { Dataset } from "../data/dataset"
import { FEATURE_GROUPS, Rows, customerRows } from "../ranking/features"
import { LevelFitReport, Query, columnValidation, fitLevel } from "../ranking/fit-ranker"
import { InterestRanker, LEVEL_FEATURES, Level } from "../ranking/interest-ranker"
import { LstmPrediction, computeSignals, lstmSignal } from "../ranking/signals"
import { PreviousSegment } from "../segments/match"
import { dimIndex } from "../features/interest-space"
import { ResolvedEngineOptions, SEED_OFFSETS } from "../core/options"
import {
  MIN_WINDOWS,
  TrainedSequence,
  candidateScores,
  chooseInterestSpace,
  lastLoadError,
  loadSequenceModule,
  predictNext,
  trainSequence,
} from "./sequence-step"
import { Cutoff, hasTarget, relativeCutoffs } from "./cutoffs"
import { Stage, fitStage } from "../core/stage"
import { SeededRandom } from "../util/random"

export { lastPeriodStart } from "./cutoffs"

/** The rankers training can fit: the shipped model, its ablations and the baseline-only ranker. */
export const RANKER_METHODS = ["model", "without_lstm", "without_transfer", "without_season", "best_baseline"] as const
export type RankerMethod = (typeof RANKER_METHODS)[number]

const without = (all: readonly string[], dropped: readonly string[]): string[] => all.filter((f) => !dropped.includes(f))

/** Features each ranker method reads, per level. */
export const METHOD_FEATURES: Record<RankerMethod, Record<Level, string[]>> = {
  model: { category: [...LEVEL_FEATURES.category], product: [...LEVEL_FEATURES.product] },
  without_lstm: {
    category: without(LEVEL_FEATURES.category, FEATURE_GROUPS.lstm.category),
    product: without(LEVEL_FEATURES.product, FEATURE_GROUPS.lstm.product),
  },
  without_transfer: {
    category: without(LEVEL_FEATURES.category, FEATURE_GROUPS.transfer.category),
    product: without(LEVEL_FEATURES.product, FEATURE_GROUPS.transfer.product),
  },
  without_season: {
    category: without(LEVEL_FEATURES.category, FEATURE_GROUPS.season.category),
    product: without(LEVEL_FEATURES.product, FEATURE_GROUPS.season.product),
  },
  best_baseline: { category: [...FEATURE_GROUPS.baselines.category], product: [...FEATURE_GROUPS.baselines.product] },
}

/** The feature column standing for each baseline on the validation candidates. */
const BASELINE_COLUMNS: Record<string, Record<Level, string>> = {
  popularity: { category: "popularity", product: "popularity" },
  repeat: { category: "repeat", product: "repeat_item" },
  markov: { category: "markov", product: "cat_markov" },
  item_knn: { category: "item_knn", product: "item_knn" },
}

export interface TrainCallbacks {
  onProgress?: (message: string) => void
}

export interface TrainOptions {
  /** Rankers to fit besides "model" (evaluation fits the ablations too). @defaultValue [] */
  extraMethods?: RankerMethod[]
}

export interface TrainReport {
  durationsMs: Record<string, number>
  /** Cut-offs the training queries came from (0 = validation). */
  cutoffs: number
  trainingCustomers: number
  /** Training queries per level (one per customer and cut-off with a target), and how many of them were cold. */
  queries: number
  coldQueries: number
  rankers: Partial<Record<RankerMethod, Record<Level, LevelFitReport>>>
  /**
   * Mean NDCG (category@k, product@k) on the validation cut-off: every fitted ranker,
   * and the baselines' signals ordering the same candidates.
   */
  validation: Record<string, Record<Level, number>>
  lstm:
    | { used: true; folds: number; samples: number; epochs: number; finalLoss: number; bestValLoss: number; backend: string; durationMs: number }
    | { used: false; reason: string }
  /** Model-based transfer: LSTM-only validation NDCG@k before and after fine-tuning on the recent window, per fold. */
  fineTune?: { recentSamples: number; before: number; after: number; kept: boolean }[]
}

/**
 * The LSTM, cross-fitted over two customer folds: fold f's model is trained on the
 * other fold's customers only, so its predictions for fold f are out of sample at
 * every cut-off (a model trained on everyone would have seen the earlier cut-offs'
 * targets). Serving keeps the same rule.
 */
export interface FoldedSequence {
  folds: TrainedSequence[]
  /** Fold of each customer index: its predictions come from folds[foldOf[c]]. */
  foldOf: Uint8Array
}

export interface TrainedModel {
  stage: Stage
  rankers: { model: InterestRanker } & Partial<Record<RankerMethod, InterestRanker>>
  sequence?: FoldedSequence
  /** Full-stage next-period predictions (reduced space, or candidate pairs) per customer index. */
  predictions: Map<number, Float32Array>
  report: TrainReport
}

export function relevantInRange(ds: Dataset, from: number, to: number): { categories: Set<number>; products: Set<number> } {
  const categories = new Set<number>()
  const products = new Set<number>()
  for (let i = from; i < to; i++) {
    const p = ds.eventProduct[i]
    products.add(p)
    for (const c of ds.facets.category.productFacets[p]) categories.add(c)
  }
  return { categories, products }
}

export function lstmPredictionFor(seq: Pick<TrainedSequence, "mode" | "space"> | undefined, predictions: Map<number, Float32Array>, c: number): LstmPrediction | undefined {
  if (!seq) return undefined
  const reduced = predictions.get(c)
  if (!reduced) return undefined
  if (seq.mode === "candidates") return { scores: candidateScores(reduced) }
  return { space: seq.space, dimOf: dimIndex(seq.space), reduced }
}

/** Next-period predictions for `customers` on a stage, each from the fold model that never saw them. */
export async function foldPredictions(seq: FoldedSequence, stage: Stage, customers: number[]): Promise<Map<number, Float32Array>> {
  const out = new Map<number, Float32Array>()
  for (let f = 0; f < seq.folds.length; f++) {
    const part = await predictNext(seq.folds[f], stage, customers.filter((c) => seq.foldOf[c] === f))
    for (const [c, v] of part) out.set(c, v)
  }
  return out
}

const FOLDS = 2
/** Fine-tuning on fewer recent windows than this is not tried. */
const MIN_FINE_TUNE_WINDOWS = 20

/** Mean NDCG@k of the LSTM's category scores alone over `customers` of a cut-off (the fine-tuning check). */
function lstmOnlyNdcg(ds: Dataset, seq: TrainedSequence, stage: Stage, cut: Cutoff, pred: Map<number, Float32Array>, customers: number[], k: number): number {
  let total = 0
  for (const c of customers) {
    const scores = lstmSignal(stage, stage.customers[c], lstmPredictionFor(seq, pred, c))
    const top = [...scores.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k)
    const rel = relevantInRange(ds, cut.inputEnd[c], cut.targetEnd[c]).categories
    let dcg = 0
    top.forEach(([cat], i) => {
      if (rel.has(cat)) dcg += 1 / Math.log2(i + 2)
    })
    let idcg = 0
    for (let i = 0; i < Math.min(k, rel.size); i++) idcg += 1 / Math.log2(i + 2)
    total += idcg > 0 ? dcg / idcg : 0
  }
  return customers.length ? total / customers.length : 0
}

/** The fold models, trained on the validation cut-off's input (each on the other fold's customers). */
async function fitFoldedSequence(
  ds: Dataset,
  stage0: Stage,
  cut0: Cutoff,
  o: ResolvedEngineOptions,
  log: (m: string) => void
): Promise<{ seq?: FoldedSequence; report: TrainReport["lstm"]; fineTune?: TrainReport["fineTune"] }> {
  if (!o.sequence.enabled) return { report: { used: false, reason: "disabled by options" } }
  const mod = loadSequenceModule()
  if (!mod) return { report: { used: false, reason: `sequence module unavailable: ${lastLoadError}` } }
  const rng = new SeededRandom(o.seed + SEED_OFFSETS.sequenceFolds)
  const foldOf = Uint8Array.from({ length: ds.customerIds.length }, () => rng.int(FOLDS))
  const space = chooseInterestSpace(stage0, o.sequence.interests)
  const folds: TrainedSequence[] = []
  const fineTune: NonNullable<TrainReport["fineTune"]> = []
  let samples = 0
  let epochs = 0
  let finalLoss = 0
  let bestValLoss = 0
  let durationMs = 0
  for (let f = 0; f < FOLDS; f++) {
    const res = await trainSequence(mod, stage0, log, (c) => foldOf[c] !== f, space)
    if (!res) {
      for (const m of folds) m.model.dispose()
      return { report: { used: false, reason: `too little sequential data (fewer than ${MIN_WINDOWS} windows or 2 interests)` } }
    }
    const seq = res.trained
    // Model-based transfer: fine-tune the head on the most recent window; keep it only if the
    // LSTM alone ranks this fold's validation targets better (this fold was never trained on).
    if (o.sequence.fineTune && res.recentSamples.length >= MIN_FINE_TUNE_WINDOWS) {
      const members = Array.from({ length: ds.customerIds.length }, (_, c) => c).filter((c) => foldOf[c] === f && hasTarget(cut0, c))
      const before = lstmOnlyNdcg(ds, seq, stage0, cut0, await predictNext(seq, stage0, members), members, o.fitK.category)
      const saved = await seq.model.serialize()
      await seq.model.fineTune(res.recentSamples)
      const after = lstmOnlyNdcg(ds, seq, stage0, cut0, await predictNext(seq, stage0, members), members, o.fitK.category)
      const kept = after > before
      if (!kept) {
        seq.model.dispose()
        seq.model = await mod.loadSequenceModel(saved)
      }
      fineTune.push({ recentSamples: res.recentSamples.length, before, after, kept })
      log(`fold ${f} fine-tune on ${res.recentSamples.length} recent windows: LSTM-only NDCG ${before.toFixed(4)} -> ${after.toFixed(4)} (${kept ? "kept" : "discarded"})`)
    }
    folds.push(seq)
    samples += seq.samples
    epochs += seq.fit.epochsRun
    finalLoss += seq.fit.finalLoss / FOLDS
    bestValLoss += seq.fit.bestValLoss / FOLDS
    durationMs += seq.fit.durationMs
  }
  return {
    seq: { folds, foldOf },
    report: { used: true, folds: FOLDS, samples, epochs, finalLoss, bestValLoss, backend: folds[0].fit.backend, durationMs },
    ...(fineTune.length ? { fineTune } : {}),
  }
}

export interface QuerySets {
  category: Query[]
  product: Query[]
}

export interface TrainingQueries {
  cuts: Cutoff[]
  /** The sampled customers whose cut-offs became queries. */
  customers: number[]
  queries: QuerySets
  lstm: Awaited<ReturnType<typeof fitFoldedSequence>>
}

/**
 * Steps 1-3 of training: the cut-offs, the cross-fitted LSTM on the validation
 * cut-off's input, and one query per sampled customer and cut-off, one stage at a
 * time (a stage is garbage once its queries exist).
 */
export async function buildTrainingQueries(
  ds: Dataset,
  eventPeriods: Int32Array,
  visibleEnd: Int32Array,
  o: ResolvedEngineOptions,
  previousSegments: PreviousSegment[] = [],
  log: (message: string) => void = () => undefined,
  lap: (name: string) => void = () => undefined
): Promise<TrainingQueries> {
  const cuts = relativeCutoffs(ds, eventPeriods, visibleEnd, o.ranker.cutoffs)
  if (cuts.length === 0) {
    // Nobody has come back after a first period yet: nothing to rank by but popularity.
    const reason = "no customer was active in more than one period yet"
    return { cuts, customers: [], queries: { category: [], product: [] }, lstm: { report: { used: false, reason } } }
  }
  const withTarget = Array.from({ length: ds.customerIds.length }, (_, c) => c).filter((c) => cuts.some((cut) => hasTarget(cut, c)))
  const customers = new SeededRandom(o.seed + SEED_OFFSETS.rankerCustomers).sampleIndices(withTarget.length, o.ranker.maxCustomers).map((i) => withTarget[i])

  const stage0 = fitStage(ds, eventPeriods, cuts[0].inputEnd, o, previousSegments)
  lap("validationStage")
  const lstm = await fitFoldedSequence(ds, stage0, cuts[0], o, log)
  lap("sequenceTraining")

  const queries: QuerySets = { category: [], product: [] }
  const scratch = new Float64Array(ds.productIds.length)
  for (const cut of cuts) {
    const stage = cut.index === 0 ? stage0 : fitStage(ds, eventPeriods, cut.inputEnd, o, previousSegments)
    await cutoffQueries(ds, stage, cut, customers, lstm.seq, o.coldEvents, queries, scratch)
  }
  log(`training queries: ${queries.category.length} from ${customers.length} customers over ${cuts.length} cut-off(s)`)
  lap("trainingQueries")
  return { cuts, customers, queries, lstm }
}

const NO_ROWS = new Float32Array(0)

/**
 * A training query. One whose candidates miss every relevant item teaches nothing
 * and scores 0 whatever the order: it keeps no rows (most product queries on a
 * shop where most targets are new products), only its place in the validation mean.
 */
function query(customer: number, cutoff: number, cold: boolean, rows: Rows, relevant: Set<number>): Query {
  const y = Uint8Array.from(rows.candidates, (k) => (relevant.has(k) ? 1 : 0))
  if (!y.includes(1)) return { customer, cutoff, cold, x: NO_ROWS, y: new Uint8Array(0), relevant: relevant.size }
  return { customer, cutoff, cold, x: rows.x, y, relevant: relevant.size }
}

/** One query per sampled customer with a target at this cut-off, on the cut-off's stage. */
async function cutoffQueries(
  ds: Dataset,
  stage: Stage,
  cut: Cutoff,
  customers: number[],
  seq: FoldedSequence | undefined,
  coldEvents: number,
  out: QuerySets,
  scratch: Float64Array
): Promise<void> {
  const members = customers.filter((c) => hasTarget(cut, c))
  const pred = seq ? await foldPredictions(seq, stage, members) : new Map<number, Float32Array>()
  for (const c of members) {
    const state = stage.customers[c]
    const sig = computeSignals(stage, state, c, lstmPredictionFor(seq?.folds[0], pred, c))
    const rows = customerRows(stage, state, sig, scratch)
    const rel = relevantInRange(ds, cut.inputEnd[c], cut.targetEnd[c])
    const cold = state.events <= coldEvents
    out.category.push(query(c, cut.index, cold, rows.category, rel.categories))
    out.product.push(query(c, cut.index, cold, rows.product, rel.products))
  }
}

/**
 * Trains on events [customerOffsets[c], visibleEnd[c]) of every customer.
 */
export async function trainModel(
  ds: Dataset,
  eventPeriods: Int32Array,
  visibleEnd: Int32Array,
  o: ResolvedEngineOptions,
  callbacks: TrainCallbacks = {},
  previousSegments: PreviousSegment[] = [],
  options: TrainOptions = {}
): Promise<TrainedModel> {
  const log = callbacks.onProgress ?? (() => undefined)
  const durations: Record<string, number> = {}
  let t0 = Date.now()
  const lap = (name: string): void => {
    const now = Date.now()
    durations[name] = now - t0
    t0 = now
    log(`${name}: ${((durations[name] as number) / 1000).toFixed(1)} s`)
  }

  const tq = await buildTrainingQueries(ds, eventPeriods, visibleEnd, o, previousSegments, log, lap)
  const { queries, customers, cuts, lstm } = tq

  // 4. One ranker per level and method.
  const methods = ["model" as const, ...(options.extraMethods ?? []).filter((m) => m !== "model")]
  const rankers = {} as TrainedModel["rankers"]
  const reports: TrainReport["rankers"] = {}
  for (const m of methods) {
    if ((m === "without_lstm" && !lstm.seq) || (m === "without_season" && !o.seasons.enabled)) {
      // Without an LSTM (seasons) its features are constant and no tree splits on them: the same ranker.
      rankers[m] = rankers.model
      reports[m] = reports.model
      continue
    }
    const fitted = {} as Record<Level, ReturnType<typeof fitLevel>>
    for (const level of ["category", "product"] as const) {
      fitted[level] = fitLevel(level, queries[level], METHOD_FEATURES[m][level], {
        k: o.fitK[level],
        seed: o.seed,
        trees: o.ranker.trees,
        learningRate: o.ranker.learningRate,
        maxLeaves: o.ranker.maxLeaves[level],
        minLeafRows: o.ranker.minLeafRows,
      })
    }
    rankers[m] = { category: fitted.category.ranker, product: fitted.product.ranker }
    reports[m] = { category: fitted.category.report, product: fitted.product.report }
    log(
      `ranker ${m}: ${fitted.category.ranker.model.trees.length} + ${fitted.product.ranker.model.trees.length} trees, ` +
        `cold ${fitted.category.ranker.cold}/${fitted.product.ranker.cold}`
    )
  }
  lap("rankerFitting")
  const validation: TrainReport["validation"] = {}
  for (const m of methods) validation[m] = { category: reports[m]?.category.validation ?? 0, product: reports[m]?.product.validation ?? 0 }
  for (const [name, cols] of Object.entries(BASELINE_COLUMNS)) {
    validation[name] = {
      category: columnValidation("category", queries.category, cols.category, o.fitK.category),
      product: columnValidation("product", queries.product, cols.product, o.fitK.product),
    }
  }

  // 5. The full stage on every visible event, and next-period predictions from it.
  const stage = fitStage(ds, eventPeriods, visibleEnd, o, previousSegments)
  lap("fullStage")
  const all = Array.from({ length: ds.customerIds.length }, (_, c) => c)
  const predictions = lstm.seq ? await foldPredictions(lstm.seq, stage, all) : new Map<number, Float32Array>()
  lap("sequencePrediction")

  return {
    stage,
    rankers,
    sequence: lstm.seq,
    predictions,
    report: {
      durationsMs: durations,
      cutoffs: cuts.length,
      trainingCustomers: customers.length,
      queries: queries.category.length,
      coldQueries: queries.category.filter((q) => q.cold).length,
      rankers: reports,
      validation,
      lstm: lstm.report,
      ...(lstm.fineTune ? { fineTune: lstm.fineTune } : {}),
    },
  }
}
