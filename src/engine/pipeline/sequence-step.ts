/**
 * The pluggable LSTM step. The sequence model is loaded at run time from
 * src/engine/sequence (built separately, see its contract); when it is missing or
 * fails to load, the pipeline runs without it and says so in its report.
 */
import type { SequenceModel, SequenceModelOptions, SequenceRuntime, SerializedSequenceModel, FitReport } from "../sequence/contract"
import { buildInterestSpace, dimIndex, InterestSpace, project, spaceDim } from "../features/interest-space"
import { StepContext, buildSamples, buildWindow, featureDim } from "../features/sequence-features"
import {
  CANDIDATE_FEATURES,
  CandidateContext,
  CandidateSource,
  buildListwiseSamples,
  candidateWindows,
  candidatesFor,
  listwiseSteps,
} from "../features/candidate-features"
import { Stage } from "../core/stage"

export interface SequenceModule {
  createSequenceModel(
    options: Partial<SequenceModelOptions> & Pick<SequenceModelOptions, "featureDim" | "outputDim">,
    runtime?: SequenceRuntime
  ): Promise<SequenceModel>
  loadSequenceModel(serialized: SerializedSequenceModel, runtime?: SequenceRuntime): Promise<SequenceModel>
  currentBackend?: () => string | null
}

/** Fewer training windows than this, and the LSTM is not trained (too little sequential data). */
export const MIN_WINDOWS = 50
/** Customers predicted per batch (bounds the windows held at once). */
const PREDICT_CUSTOMERS = 2048

let cachedModule: SequenceModule | null | undefined

/** The sequence module, or null (with the reason in `lastLoadError`) when it is not available. */
export let lastLoadError = ""
export function loadSequenceModule(): SequenceModule | null {
  if (cachedModule !== undefined) return cachedModule
  try {
    // Run-time require keeps the engine compiling and running while the module is absent.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const m = require("../sequence") as Partial<SequenceModule>
    if (typeof m.createSequenceModel !== "function" || typeof m.loadSequenceModel !== "function") {
      lastLoadError = "src/engine/sequence does not export createSequenceModel/loadSequenceModel"
      cachedModule = null
    } else cachedModule = m as SequenceModule
  } catch (e) {
    lastLoadError = (e as Error).message
    cachedModule = null
  }
  return cachedModule
}

export function stepContext(stage: Stage, space: InterestSpace): StepContext {
  return { space, dimOf: dimIndex(space), markov: stage.markov, unit: stage.options.period }
}

export function segmentPrior(stage: Stage, ctx: StepContext, segment: number): number[] {
  if (segment < 0) return new Array(spaceDim(ctx.space)).fill(0)
  return project(ctx.space, stage.segmentInterests[segment], ctx.dimOf)
}

/** The interests the LSTM sees: the top-N categories by total customer interest. */
export function chooseInterestSpace(stage: Stage, n: number): InterestSpace {
  const totals = new Float64Array(stage.categoryIds.length)
  for (const s of stage.customers) {
    let sum = 0
    for (const x of s.profile.values()) sum += x
    if (sum > 0) for (const [k, x] of s.profile) totals[k] += x / sum
  }
  return buildInterestSpace(totals, n)
}

export interface TrainedSequence {
  model: SequenceModel
  /**
   * "space": predictions are distributions over `space`; "candidates": predictions are
   * [category, score, category, score, ...] over each customer's own candidates
   * (`space` is then empty).
   */
  mode: "space" | "candidates"
  space: InterestSpace
  lookback: number
  fit: FitReport
  samples: number
}

/**
 * Builds samples from a stage's customers (all, or those `include` keeps) and trains
 * a fresh model; mode "space" predicts over `space` (default: chosen on the stage).
 */
export async function trainSequence(
  mod: SequenceModule,
  stage: Stage,
  onProgress?: (message: string) => void,
  include: (c: number) => boolean = () => true,
  space: InterestSpace = chooseInterestSpace(stage, stage.options.sequence.interests)
): Promise<{ trained: TrainedSequence; recentSamples: { steps: number[][]; target: number[] }[] } | null> {
  const o = stage.options.sequence
  if (o.mode === "candidates") return trainCandidates(mod, stage, include, onProgress)
  if (space.top.length < 2) return null
  const ctx = stepContext(stage, space)
  const built = buildSamples(
    ctx,
    stage.customers.map((s, c) => ({ periods: include(c) ? s.periods : [], segmentPrior: segmentPrior(stage, ctx, s.segment) })),
    o.lookback,
    o.maxSamples,
    stage.options.seed
  )
  if (built.length < MIN_WINDOWS) return null
  return fitSequence(mod, stage, built, featureDim(space), spaceDim(space), { mode: "space", space }, onProgress)
}

/**
 * Next-period predictions (in the reduced space) for the given customers of a
 * stage, from each one's last `lookback` active periods. Batched to bound memory.
 */
export async function predictNext(
  seq: TrainedSequence,
  stage: Stage,
  customers: number[],
  batch = PREDICT_CUSTOMERS
): Promise<Map<number, Float32Array>> {
  if (seq.mode === "candidates") return predictCandidates(seq, stage, customers, batch)
  const ctx = stepContext(stage, seq.space)
  const out = new Map<number, Float32Array>()
  const withHistory = customers.filter((c) => stage.customers[c].periods.length > 0)
  for (let i = 0; i < withHistory.length; i += batch) {
    const chunk = withHistory.slice(i, i + batch)
    const windows = chunk.map((c) => {
      const s = stage.customers[c]
      return buildWindow(ctx, s.periods, s.periods.length - 1, seq.lookback, segmentPrior(stage, ctx, s.segment))
    })
    const pred = await seq.model.predict(windows)
    chunk.forEach((c, j) => out.set(c, Float32Array.from(pred[j])))
  }
  return out
}

export function candidateContext(stage: Stage): CandidateContext {
  const o = stage.options
  return {
    markov: stage.markov,
    popularity: stage.popularity.category,
    slots: o.sequence.slots,
    lookback: o.sequence.lookback,
    halfLife: o.profileHalfLife,
  }
}

function candidateSource(stage: Stage, c: number): CandidateSource {
  const s = stage.customers[c]
  return { periods: s.periods, segment: s.segment >= 0 ? stage.segmentInterests[s.segment] : new Map() }
}

/**
 * Fits a new sequence model on built samples (either mode) and keeps the samples
 * of the most recent periods for fine-tuning.
 */
async function fitSequence(
  mod: SequenceModule,
  stage: Stage,
  built: { steps: number[][]; target: number[]; targetPeriod: number }[],
  featureDim: number,
  outputDim: number,
  kind: Pick<TrainedSequence, "mode" | "space">,
  onProgress?: (message: string) => void
): Promise<{ trained: TrainedSequence; recentSamples: { steps: number[][]; target: number[] }[] }> {
  const o = stage.options.sequence
  let minP = Infinity
  let maxP = -Infinity
  for (const b of built) {
    minP = Math.min(minP, b.targetPeriod)
    maxP = Math.max(maxP, b.targetPeriod)
  }
  const recentFrom = maxP - Math.max(1, Math.round((maxP - minP) * o.recentShare))
  const model = await mod.createSequenceModel(
    {
      lookback: o.lookback,
      featureDim,
      outputDim,
      units: o.units,
      epochs: o.epochs,
      batchSize: o.batchSize,
      learningRate: o.learningRate,
      seed: stage.options.seed,
    },
    { backend: o.backend }
  )
  const fit = await model.fit(
    built.map((b) => ({ steps: b.steps, target: b.target })),
    {
      onProgress: (p) =>
        onProgress?.(`lstm epoch ${p.epoch}/${p.epochs} loss ${p.loss.toFixed(4)}${p.valLoss !== undefined ? ` val ${p.valLoss.toFixed(4)}` : ""}`),
    }
  )
  return {
    trained: { model, ...kind, lookback: o.lookback, fit, samples: built.length },
    recentSamples: built.filter((b) => b.targetPeriod > recentFrom).map((b) => ({ steps: b.steps, target: b.target })),
  }
}

/** Mode "candidates": one shared LSTM scores each customer's own candidate categories. */
async function trainCandidates(
  mod: SequenceModule,
  stage: Stage,
  include: (c: number) => boolean,
  onProgress?: (message: string) => void
): Promise<{ trained: TrainedSequence; recentSamples: { steps: number[][]; target: number[] }[] } | null> {
  const o = stage.options.sequence
  const ctx = candidateContext(stage)
  const sources = stage.customers.map((_, c) => (include(c) ? candidateSource(stage, c) : { periods: [], segment: new Map() }))
  const built = buildListwiseSamples(ctx, sources, o.maxSamples, stage.options.seed)
  if (built.length < MIN_WINDOWS) return null
  return fitSequence(mod, stage, built, CANDIDATE_FEATURES * o.slots, o.slots, { mode: "candidates", space: { top: [] } }, onProgress)
}

async function predictCandidates(
  seq: TrainedSequence,
  stage: Stage,
  customers: number[],
  batch: number
): Promise<Map<number, Float32Array>> {
  const ctx = candidateContext(stage)
  const out = new Map<number, Float32Array>()
  const withHistory = customers.filter((c) => stage.customers[c].periods.length > 0)
  let i = 0
  while (i < withHistory.length) {
    const chunk: { c: number; cands: number[] }[] = []
    const windows: number[][][] = []
    while (i < withHistory.length && windows.length < batch) {
      const c = withHistory[i++]
      const src = candidateSource(stage, c)
      const last = src.periods.length - 1
      const cands = candidatesFor(ctx, src, last)
      if (!cands.length) continue
      chunk.push({ c, cands })
      windows.push(listwiseSteps(candidateWindows(ctx, src, last, cands), ctx.slots, ctx.lookback))
    }
    if (!windows.length) continue
    const pred = await seq.model.predict(windows)
    let j = 0
    for (const { c, cands } of chunk) {
      const v = new Float32Array(2 * cands.length)
      cands.forEach((cat, k) => {
        v[2 * k] = cat
        v[2 * k + 1] = pred[j][k]
      })
      j++
      out.set(c, v)
    }
  }
  return out
}

/** Candidate-mode predictions ([category, score, ...]) as a sparse category vector. */
export function candidateScores(pred: ArrayLike<number>): Map<number, number> {
  const out = new Map<number, number>()
  for (let k = 0; k + 1 < pred.length; k += 2) out.set(pred[k], pred[k + 1])
  return out
}
