/**
 * Training, in memory: validation split -> validation stage (+ LSTM) -> blend
 * weights fitted per method and cohort -> full stage -> next-period predictions.
 * `trainPipeline` (artifacts) and the evaluation both call this.
 */
import { Dataset } from "../data/dataset"
import {
  BlendWeights,
  CohortBlend,
  FitExample,
  blendCategories,
  categoryExample,
  exampleNdcg,
  fitBlend,
  groupMeans,
  meanNdcg,
  popularityNorms,
  productExample,
} from "../ranking/blend"
import { METHOD_SPECS, MethodName, MethodSpec } from "../ranking/methods"
import {
  CategorySignal,
  CustomerSignals,
  LstmPrediction,
  ProductSignal,
  categoryPopNorm,
  computeSignals,
  rankerCandidates,
} from "../ranking/signals"
import { CategoryRankerExample, categoryRankerScores, fitCategoryRanker } from "../ranking/category-ranker"
import { LogisticModel } from "../ranking/logistic"
import { PreviousSegment } from "../segments/match"
import { dimIndex } from "../features/interest-space"
import { ResolvedEngineOptions } from "./options"
import { TrainedSequence, candidateScores, lastLoadError, loadSequenceModule, predictNext, trainSequence } from "./sequence-step"
import { Stage, fitStage, withoutCustomers } from "./stage"
import { SeededRandom } from "../util/random"

/** Customers are split into this many folds for the cross-fitted ranker signal. */
const RANKER_FOLDS = 2

export interface TrainCallbacks {
  onProgress?: (message: string) => void
}

export interface TrainReport {
  durationsMs: Record<string, number>
  validationCustomers: number
  /** Validation examples: one per customer and validation period (see validationPeriods). */
  validationCases: number
  coldValidationCustomers: number
  /** Weights of the learned category ranker (CATEGORY_RANKER_FEATURES order, intercept last), null when not fitted. */
  categoryRanker: number[] | null
  /** Mean validation NDCG (category@k, product@k) each method reached when fitted. */
  validation: Record<string, { category: number; product: number }>
  lstm:
    | { used: true; samples: number; epochs: number; finalLoss: number; bestValLoss: number; backend: string; durationMs: number }
    | { used: false; reason: string }
  /** Model-based transfer: LSTM-only validation NDCG@k before and after fine-tuning on the recent window. */
  fineTune?: { recentSamples: number; before: number; after: number; kept: boolean }
}

export interface TrainedModel {
  stage: Stage
  blends: Record<MethodName, CohortBlend>
  sequence?: TrainedSequence
  /** Full-stage next-period predictions (reduced space) per customer index. */
  predictions: Map<number, Float32Array>
  report: TrainReport
}

/** Position where each customer's last visible period starts (the validation target). */
export function lastPeriodStart(ds: Dataset, eventPeriods: Int32Array, visibleEnd: Int32Array): Int32Array {
  const out = new Int32Array(visibleEnd.length)
  for (let c = 0; c < visibleEnd.length; c++) {
    const start = ds.customerOffsets[c]
    let i = visibleEnd[c]
    if (i > start) {
      const last = eventPeriods[i - 1]
      while (i > start && eventPeriods[i - 1] === last) i--
    }
    out[c] = i
  }
  return out
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

export function lstmPredictionFor(seq: TrainedSequence | undefined, predictions: Map<number, Float32Array>, c: number): LstmPrediction | undefined {
  if (!seq) return undefined
  const reduced = predictions.get(c)
  if (!reduced) return undefined
  if (seq.mode === "candidates") return { scores: candidateScores(reduced) }
  return { space: seq.space, dimOf: dimIndex(seq.space), reduced }
}

interface ValidationCase {
  customer: number
  /** 0 = the last visible period, 1 = the one before, ... */
  cutoff: number
  /** The stage the signals were computed on (the one of this case's cut-off). */
  stage: Stage
  cold: boolean
  signals: CustomerSignals
  relevant: { categories: Set<number>; products: Set<number> }
}

function fitCohorts(
  names: string[],
  all: FitExample[],
  cold: FitExample[],
  warm: FitExample[],
  k: number,
  starts: { cold: Record<string, number>; warm: Record<string, number> }[],
  significance: number
): { cold: Record<string, number>; warm: Record<string, number>; score: number } {
  const base = fitBlend(names, all, k, { starts: starts.flatMap((s) => [s.warm, s.cold]), significance })
  const refine = (ex: FitExample[], own: Record<string, number>[]): Record<string, number> =>
    new Set(ex.map((e) => e.group)).size >= 30
      ? fitBlend(names, ex, k, { start: base.weights, starts: own, significance }).weights
      : base.weights
  return {
    cold: refine(cold, starts.map((s) => s.cold)),
    warm: refine(warm, starts.map((s) => s.warm)),
    score: base.score,
  }
}

type PopularityNorms = ReturnType<typeof popularityNorms>

/** Category fit examples of every case (signals in `names` order), grouped by customer. */
function categoryExamples(cases: ValidationCase[], names: CategorySignal[], popOf: (st: Stage) => PopularityNorms): FitExample[] {
  return cases.map((v) => {
    const ex = categoryExample(v.stage, popOf(v.stage).category, v.signals, names, v.relevant.categories)
    ex.group = v.customer
    return ex
  })
}

/** Product fit examples of every case, its category scores blended with `categoryWeights(case)`. */
function productExamples(
  cases: ValidationCase[],
  names: ProductSignal[],
  categoryWeights: (v: ValidationCase) => BlendWeights["category"],
  popOf: (st: Stage) => PopularityNorms,
  scratch: Float64Array
): FitExample[] {
  return cases.map((v) => {
    const pop = popOf(v.stage)
    const catScores = blendCategories(v.stage, pop.category, v.signals, categoryWeights(v))
    const ex = productExample(v.stage, pop.product, v.signals, catScores, names, v.relevant.products, scratch)
    ex.group = v.customer
    return ex
  })
}

function fitMethod(
  spec: MethodSpec,
  cases: ValidationCase[],
  o: ResolvedEngineOptions,
  scratch: Float64Array,
  /** Fitted blends of methods whose signals are a subset of this one's: starting points. */
  nested: CohortBlend[]
): { blend: CohortBlend; category: number; product: number } {
  const pops = new Map<Stage, PopularityNorms>()
  const popOf = (st: Stage): PopularityNorms => {
    let p = pops.get(st)
    if (!p) pops.set(st, (p = popularityNorms(st)))
    return p
  }
  if (spec.fixed) return { blend: { cold: spec.fixed, warm: spec.fixed }, ...scoreFixed(spec.fixed, cases, o, scratch, popOf) }
  const catNames = spec.category as CategorySignal[]
  const prodNames = spec.product as ProductSignal[]
  const catEx = categoryExamples(cases, catNames, popOf)
  const catFit = fitCohorts(
    catNames,
    catEx,
    catEx.filter((_, i) => cases[i].cold),
    catEx.filter((_, i) => !cases[i].cold),
    o.fitK.category,
    nested.map((b) => ({ cold: b.cold.category, warm: b.warm.category })),
    o.fitSignificance
  )
  const prodEx = productExamples(cases, prodNames, (v) => (v.cold ? catFit.cold : catFit.warm), popOf, scratch)
  const prodFit = fitCohorts(
    prodNames,
    prodEx,
    prodEx.filter((_, i) => cases[i].cold),
    prodEx.filter((_, i) => !cases[i].cold),
    o.fitK.product,
    nested.map((b) => ({ cold: b.cold.product, warm: b.warm.product })),
    o.fitSignificance
  )
  return {
    blend: {
      cold: { category: catFit.cold, product: prodFit.cold },
      warm: { category: catFit.warm, product: prodFit.warm },
    },
    category: catFit.score,
    product: prodFit.score,
  }
}

/**
 * Validation NDCG of a method with fixed weights (a single baseline), on the same
 * cases and cut-offs the fitted methods are scored on and averaged per customer as
 * fitBlend scores, so every method's number in the training report is comparable.
 */
function scoreFixed(
  w: BlendWeights,
  cases: ValidationCase[],
  o: ResolvedEngineOptions,
  scratch: Float64Array,
  popOf: (st: Stage) => PopularityNorms
): { category: number; product: number } {
  const catNames = Object.keys(w.category) as CategorySignal[]
  const prodNames = Object.keys(w.product) as ProductSignal[]
  const perCustomer = (ex: FitExample[], weights: number[], k: number): number => {
    const means = groupMeans(ex)(exampleNdcg(ex, weights, k))
    let t = 0
    for (const x of means) t += x
    return means.length ? t / means.length : 0
  }
  return {
    category: perCustomer(
      categoryExamples(cases, catNames, popOf),
      catNames.map((n) => w.category[n] as number),
      o.fitK.category
    ),
    product: perCustomer(
      productExamples(cases, prodNames, () => w.category, popOf, scratch),
      prodNames.map((n) => w.product[n] as number),
      o.fitK.product
    ),
  }
}

/** Fitted methods in an order where every method comes after the methods whose signals it contains. */
export function fitOrder(specs: MethodSpec[]): MethodSpec[] {
  const size = (s: MethodSpec): number => (s.fixed ? -1 : (s.category?.length ?? 0) + (s.product?.length ?? 0))
  return [...specs].sort((a, b) => size(a) - size(b))
}

/** True when every signal `inner` may use, `outer` may use too. */
export function isNested(inner: MethodSpec, outer: MethodSpec): boolean {
  if (inner.fixed || outer.fixed || inner === outer) return false
  const sub = (a: string[] = [], b: string[] = []): boolean => a.every((x) => b.includes(x))
  return sub(inner.category, outer.category) && sub(inner.product, outer.product)
}

interface ValidationFit {
  blends: Record<MethodName, CohortBlend>
  sequence?: TrainedSequence
  categoryRanker?: LogisticModel
  report: Pick<TrainReport, "validationCustomers" | "validationCases" | "coldValidationCustomers" | "validation" | "lstm" | "fineTune">
}

/** What fitting on validation periods reads: the events visible to training and how to report. */
interface ValidationInput {
  ds: Dataset
  eventPeriods: Int32Array
  visibleEnd: Int32Array
  o: ResolvedEngineOptions
  previousSegments: PreviousSegment[]
  log: (message: string) => void
  lap: (name: string) => void
}

interface LastPeriodFit {
  valStart: Int32Array
  valCustomers: number[]
  /** One case per validation customer, on a stage without its customers (see withoutCustomers). */
  cases: ValidationCase[]
  sequence?: TrainedSequence
  lstmReport: TrainReport["lstm"]
  fineTune?: TrainReport["fineTune"]
}

/**
 * Steps 1-3 of training, on each customer's last visible period: the validation
 * stage, the LSTM and its fine-tuning, the validation cases. The full stage is
 * only referenced in here, so it is garbage once the cases exist.
 */
async function fitLastPeriod(input: ValidationInput): Promise<LastPeriodFit> {
  const { ds, eventPeriods, visibleEnd, o, previousSegments, log, lap } = input
  // 1. Validation split: each customer's last visible period is their validation target.
  const valStart = lastPeriodStart(ds, eventPeriods, visibleEnd)
  const stageVal = fitStage(ds, eventPeriods, valStart, o, previousSegments)
  lap("validationStage")
  log(`validation stage: ${stageVal.segments.segments.length} segments`)

  // 2. The sequence model, trained on what precedes the validation periods.
  let sequence: TrainedSequence | undefined
  let lstmReport: TrainReport["lstm"] = { used: false, reason: "disabled by options" }
  let fineTune: TrainReport["fineTune"]
  let recentSamples: { steps: number[][]; target: number[] }[] = []
  if (o.sequence.enabled) {
    const mod = loadSequenceModule()
    if (!mod) lstmReport = { used: false, reason: `sequence module unavailable: ${lastLoadError}` }
    else {
      const res = await trainSequence(mod, stageVal, log)
      if (!res) lstmReport = { used: false, reason: "too little sequential data (fewer than 50 windows or 2 interests)" }
      else {
        sequence = res.trained
        recentSamples = res.recentSamples
        lstmReport = {
          used: true,
          samples: res.trained.samples,
          epochs: res.trained.fit.epochsRun,
          finalLoss: res.trained.fit.finalLoss,
          bestValLoss: res.trained.fit.bestValLoss,
          backend: res.trained.fit.backend,
          durationMs: res.trained.fit.durationMs,
        }
      }
    }
  }
  lap("sequenceTraining")

  const customers = Array.from({ length: ds.customerIds.length }, (_, c) => c)
  // Blend weights are a handful of numbers: a seeded sample of validation customers is plenty,
  // and keeps fitting linear in the sample, not in the shop's size.
  const allVal = customers.filter((c) => visibleEnd[c] > valStart[c])
  const valCustomers = new SeededRandom(o.seed + 13)
    .sampleIndices(allVal.length, o.maxValidationCustomers)
    .map((i) => allVal[i])
  let valPred = sequence ? await predictNext(sequence, stageVal, valCustomers) : new Map<number, Float32Array>()
  const buildCases = (pred: Map<number, Float32Array>): ValidationCase[] =>
    valCustomers.map((c) => ({
      customer: c,
      cutoff: 0,
      stage: stageVal,
      cold: stageVal.customers[c].events <= o.coldEvents,
      signals: computeSignals(stageVal, stageVal.customers[c], c, lstmPredictionFor(sequence, pred, c)),
      relevant: relevantInRange(ds, valStart[c], visibleEnd[c]),
    }))
  let cases = buildCases(valPred)

  // 3. Model-based transfer: fine-tune the head on the most recent window; keep it only if
  //    the LSTM alone ranks the validation period better.
  if (sequence && o.sequence.fineTune && recentSamples.length >= 20) {
    const pop = popularityNorms(stageVal)
    const lstmOnly = (cs: ValidationCase[]): number =>
      meanNdcg(
        cs.map((v) => categoryExample(stageVal, pop.category, v.signals, ["lstm"], v.relevant.categories)),
        [1],
        o.fitK.category
      )
    const before = lstmOnly(cases)
    const saved = await sequence.model.serialize()
    await sequence.model.fineTune(recentSamples)
    const tunedPred = await predictNext(sequence, stageVal, valCustomers)
    const tunedCases = buildCases(tunedPred)
    const after = lstmOnly(tunedCases)
    const kept = after > before
    if (kept) {
      valPred = tunedPred
      cases = tunedCases
    } else {
      const mod = loadSequenceModule() as NonNullable<ReturnType<typeof loadSequenceModule>>
      sequence.model.dispose()
      sequence.model = await mod.loadSequenceModel(saved)
    }
    fineTune = { recentSamples: recentSamples.length, before, after, kept }
    log(`fine-tune on ${recentSamples.length} recent windows: LSTM-only NDCG ${before.toFixed(4)} -> ${after.toFixed(4)} (${kept ? "kept" : "discarded"})`)
  }
  const slim = withoutCustomers(stageVal)
  for (const v of cases) v.stage = slim
  return { valStart, valCustomers, cases, sequence, lstmReport, fineTune }
}

/** Steps 1-4 of training: the validation stage(s), the LSTM, the ranker and the blend weights. */
async function fitOnValidation(input: ValidationInput): Promise<ValidationFit> {
  const { ds, eventPeriods, o, previousSegments, log, lap } = input
  const { valStart, valCustomers, cases, sequence, lstmReport, fineTune } = await fitLastPeriod(input)

  // 3b. Earlier validation periods (each customer's period before the last one, ...): more
  //     examples per customer, so the blend is fitted on more than one noisy period. The LSTM
  //     was trained on those periods, so its signal is left out there (no leak); the rest of
  //     each case is computed on a stage of the events before that period only.
  let cutEnd = valStart
  for (let j = 1; j < o.validationPeriods; j++) {
    const start = lastPeriodStart(ds, eventPeriods, cutEnd)
    const members = valCustomers.filter((c) => cutEnd[c] > start[c])
    if (members.length === 0 || !start.some((x, c) => x > ds.customerOffsets[c])) break
    const st = fitStage(ds, eventPeriods, start, o, previousSegments)
    const slim = withoutCustomers(st)
    for (const c of members) {
      cases.push({
        customer: c,
        cutoff: j,
        stage: slim,
        cold: st.customers[c].events <= o.coldEvents,
        signals: computeSignals(st, st.customers[c], c),
        relevant: relevantInRange(ds, start[c], cutEnd[c]),
      })
    }
    cutEnd = start
  }
  const periodsUsed = new Set(cases.map((v) => v.cutoff)).size
  log(`validation: ${cases.length} cases from ${valCustomers.length} customers over ${periodsUsed} period(s)`)

  // 3c. The category ranker, cross-fitted: every case's "ranker" signal comes from a model
  //     fitted on other customers only (so the blend sees it out of sample); the shipped
  //     ranker is fitted on all cases.
  const rankerEx = cases.map((v): CategoryRankerExample => {
    const { ranker: _own, ...inputs } = v.signals.category
    return {
      candidates: rankerCandidates(v.stage, inputs),
      popNorm: categoryPopNorm(v.stage),
      signals: v.signals.category,
      relevant: v.relevant.categories,
    }
  })
  const foldOf = new Map<number, number>()
  const foldRng = new SeededRandom(o.seed + 29)
  for (const c of valCustomers) foldOf.set(c, foldRng.int(RANKER_FOLDS))
  for (let f = 0; f < RANKER_FOLDS; f++) {
    const m = fitCategoryRanker(rankerEx.filter((_, i) => foldOf.get(cases[i].customer) !== f))
    cases.forEach((v, i) => {
      if (foldOf.get(v.customer) !== f) return
      const ex = rankerEx[i]
      v.signals.category.ranker = m ? categoryRankerScores(m, ex.candidates, ex.popNorm, ex.signals) : new Map()
    })
  }
  const categoryRanker = fitCategoryRanker(rankerEx)
  lap("validationSignals")

  // 4. Blend weights per method and cohort, fitted on the validation targets.
  const scratch = new Float64Array(ds.productIds.length)
  const blends = {} as Record<MethodName, CohortBlend>
  const validation: TrainReport["validation"] = {}
  for (const spec of fitOrder(METHOD_SPECS)) {
    const nested = METHOD_SPECS.filter((m) => isNested(m, spec) && blends[m.name]).map((m) => blends[m.name])
    const fitted = fitMethod(spec, cases, o, scratch, nested)
    blends[spec.name] = fitted.blend
    validation[spec.name] = { category: fitted.category, product: fitted.product }
  }
  lap("blendFitting")

  return {
    blends,
    sequence,
    categoryRanker,
    report: {
      validationCustomers: valCustomers.length,
      validationCases: cases.length,
      coldValidationCustomers: cases.filter((v) => v.cold && v.cutoff === 0).length,
      validation,
      lstm: lstmReport,
      fineTune,
    },
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
  previousSegments: PreviousSegment[] = []
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

  // 1-4. Everything fitted on validation periods; its stages and cases are garbage once it returns,
  //      before the full stage is built (peak memory holds one generation of stages, not two).
  const fitted = await fitOnValidation({ ds, eventPeriods, visibleEnd, o, previousSegments, log, lap })
  const { blends, sequence, categoryRanker } = fitted

  // 5. The full stage on every visible event, and next-period predictions from it.
  const stage = fitStage(ds, eventPeriods, visibleEnd, o, previousSegments)
  stage.categoryRanker = categoryRanker
  lap("fullStage")
  const customers = Array.from({ length: ds.customerIds.length }, (_, c) => c)
  const predictions = sequence ? await predictNext(sequence, stage, customers) : new Map<number, Float32Array>()
  lap("sequencePrediction")

  return {
    stage,
    blends,
    sequence,
    predictions,
    report: {
      durationsMs: durations,
      ...fitted.report,
      categoryRanker: categoryRanker ? categoryRanker.weights.map((x) => Math.round(x * 1e4) / 1e4) : null,
    },
  }
}
