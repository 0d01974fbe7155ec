/**
 * Every knob of the engine in one documented object. Callers pass a partial;
 * `resolveEngineOptions` fills the defaults and checks the values once.
 */
import { PeriodUnit, isPeriodUnit } from "../data/periods"
import { DEFAULT_EVENT_WEIGHTS, EventWeights } from "../profiles/weights"
import { DEFAULT_INFLUENCE_OPTIONS, InfluenceOptions, checkInfluenceOptions } from "../profiles/influence"
import { DEFAULT_SEGMENT_OPTIONS, SegmentOptions } from "../segments/segments"
import { DEFAULT_TRANSFER_OPTIONS, TransferOptions } from "../transfer/feature-transfer"
import { getDefinedOptions } from "../util/options"
import { DEFAULT_SEED } from "../util/random"
import { DEFAULT_SEQUENCE_OPTIONS } from "../sequence/options"
import type { BackendChoice } from "../sequence/contract"
import { DEFAULT_SEASONAL_FEATURE_OPTIONS, SeasonalFeatureOptions } from "./season-features"

export interface SequenceStepOptions {
  /**
   * Train the LSTM (when src/engine/sequence is available) and give the ranker its
   * prediction as a feature. Off by default: on both evaluation files its ablation
   * showed no significant gain at either level, and a significant loss at product
   * level on one (docs/evaluate.md). @defaultValue false
   */
  enabled: boolean
  /**
   * "candidates": the LSTM scores each customer's own candidate categories (recent,
   * Markov successors, segment interests), one shared LSTM per slot;
   * "space": it predicts a distribution over the global top `interests` (+ "other").
   * @defaultValue "candidates"
   */
  mode: "candidates" | "space"
  /** Candidate categories scored per customer (mode "candidates"). @defaultValue 16 */
  slots: number
  /** Interests kept as LSTM dimensions (+ "other"), mode "space". @defaultValue 24 */
  interests: number
  /** Periods per window. @defaultValue the sequence model's (sequence/options.ts) */
  lookback: number
  /** @defaultValue the sequence model's */
  units: number
  /** Upper bound; early stopping on a held-out 10% usually stops sooner. @defaultValue the sequence model's */
  epochs: number
  /** @defaultValue the sequence model's */
  batchSize: number
  /** @defaultValue the sequence model's */
  learningRate: number
  /** Training windows (cut-offs) kept (most recent per customer first). @defaultValue 6000 */
  maxSamples: number
  /** Fine-tune the head on the most recent periods (model-based transfer). @defaultValue true */
  fineTune: boolean
  /** Share of the period range that counts as "recent" for fine-tuning. @defaultValue 0.25 */
  recentShare: number
  /**
   * TensorFlow.js backend the LSTM trains on: "auto" tries tfjs-node (when installed),
   * then wasm, then cpu; a named backend that cannot start falls back to that order
   * with a warning. @defaultValue "auto"
   */
  backend: BackendChoice
}

export interface EngineOptions {
  /** Profile period. @defaultValue "week" */
  period: PeriodUnit
  eventWeights: EventWeights
  /** How much one shopper can move popularity, trending, co-occurrence and Markov counts. */
  influence: Partial<InfluenceOptions>
  /** Half-life of the long-term profile, in periods. @defaultValue day 7, week 4, month 6 */
  profileHalfLife: number
  /** Half-life of popularity ("popular lately"), in periods. @defaultValue day 3, week 2, month 3 */
  popularityHalfLife: number
  /**
   * Half-life (hours before the customer's own last event) of the session signals:
   * how fast an item fades from "what they are looking at now". @defaultValue day 6, week 24, month 72
   */
  sessionHalfLifeHours: number
  /** Co-occurrence window in distinct products. @defaultValue 8 */
  knnWindow: number
  /** Neighbours kept per product. @defaultValue 30 */
  knnTopN: number
  /** Customers with at most this many events are "cold" (the cold-start rule ranks them). @defaultValue 3 */
  coldEvents: number
  segments: Partial<SegmentOptions>
  transfer: Partial<TransferOptions>
  sequence: Partial<SequenceStepOptions>
  /** The ranker's seasonal features (month of the year, day of the week). */
  seasons: Partial<SeasonalFeatureOptions>
  /** NDCG cut-offs the ranker is trained for, per level. @defaultValue { category: 5, product: 10 } */
  fitK: { category: number; product: number }
  ranker: Partial<RankerOptions>
  /** @defaultValue 42 */
  seed: number
}

export interface RankerOptions {
  /**
   * Relative cut-offs the ranker learns from: each customer's last visible active
   * period is a target (the validation cut-off, for early stopping), the one before
   * another, and so on, each with the periods before it as input. @defaultValue 8
   */
  cutoffs: number
  /** Customers sampled for training examples (all of their cut-offs). @defaultValue 3000 */
  maxCustomers: number
  /** Upper bound on boosting rounds; early stopping on the validation cut-off decides. @defaultValue 300 */
  trees: number
  /** @defaultValue 0.1 */
  learningRate: number
  /**
   * Leaves per tree, per level. Chosen by customer-fold cross-validation on the dev
   * split of both evaluation files: smaller category trees ranked better on both,
   * product trees of 7 leaves worse (docs/evaluate.md). @defaultValue { category: 7, product: 15 }
   */
  maxLeaves: { category: number; product: number }
  /** @defaultValue 20 */
  minLeafRows: number
}

export const DEFAULT_RANKER_OPTIONS: RankerOptions = {
  cutoffs: 8,
  maxCustomers: 3000,
  trees: 300,
  learningRate: 0.1,
  maxLeaves: { category: 7, product: 15 },
  minLeafRows: 20,
}

export const DEFAULT_SEQUENCE_STEP_OPTIONS: SequenceStepOptions = {
  enabled: false,
  mode: "candidates",
  slots: 16,
  interests: 24,
  lookback: DEFAULT_SEQUENCE_OPTIONS.lookback,
  units: DEFAULT_SEQUENCE_OPTIONS.units,
  epochs: DEFAULT_SEQUENCE_OPTIONS.epochs,
  batchSize: DEFAULT_SEQUENCE_OPTIONS.batchSize,
  learningRate: DEFAULT_SEQUENCE_OPTIONS.learningRate,
  maxSamples: 6000,
  fineTune: true,
  recentShare: 0.25,
  backend: "auto",
}

/** Half-lives per period unit: profile and popularity in periods, session in hours. */
const DEFAULT_HALF_LIVES: Record<PeriodUnit, Pick<EngineOptions, "profileHalfLife" | "popularityHalfLife" | "sessionHalfLifeHours">> = {
  day: { profileHalfLife: 7, popularityHalfLife: 3, sessionHalfLifeHours: 6 },
  week: { profileHalfLife: 4, popularityHalfLife: 2, sessionHalfLifeHours: 24 },
  month: { profileHalfLife: 6, popularityHalfLife: 3, sessionHalfLifeHours: 72 },
}

/** Every default that does not depend on the period unit. */
export const DEFAULT_ENGINE_OPTIONS: Omit<EngineOptions, keyof (typeof DEFAULT_HALF_LIVES)["week"]> = {
  period: "week",
  eventWeights: DEFAULT_EVENT_WEIGHTS,
  influence: {},
  knnWindow: 8,
  knnTopN: 30,
  coldEvents: 3,
  segments: {},
  transfer: {},
  sequence: {},
  seasons: {},
  fitK: { category: 5, product: 10 },
  ranker: {},
  seed: DEFAULT_SEED,
}

/**
 * Offsets added to `seed` so that each seeded step draws from a stream of its own
 * (two steps on the same seed would draw the same numbers).
 */
export const SEED_OFFSETS = { segmentMembers: 7, rankerCustomers: 13, sequenceFolds: 31, tuningFolds: 41 } as const

export type ResolvedEngineOptions = Omit<EngineOptions, "segments" | "transfer" | "sequence" | "ranker" | "influence" | "seasons"> & {
  seasons: SeasonalFeatureOptions
  influence: InfluenceOptions
  ranker: RankerOptions
  segments: SegmentOptions
  transfer: TransferOptions
  sequence: SequenceStepOptions
}

export function resolveEngineOptions(options?: Partial<EngineOptions>): ResolvedEngineOptions {
  const period = options?.period ?? DEFAULT_ENGINE_OPTIONS.period
  if (!isPeriodUnit(period)) throw new Error(`period must be day, week or month, got "${period}".`)
  const o = getDefinedOptions<EngineOptions>({ ...DEFAULT_ENGINE_OPTIONS, ...DEFAULT_HALF_LIVES[period], period }, options)
  for (const [name, v] of [
    ["profileHalfLife", o.profileHalfLife],
    ["popularityHalfLife", o.popularityHalfLife],
    ["sessionHalfLifeHours", o.sessionHalfLifeHours],
  ] as const) {
    if (!(v > 0)) throw new Error(`${name} must be a positive number of periods, got ${v}.`)
  }
  if (!Number.isInteger(o.knnWindow) || o.knnWindow < 1) throw new Error(`knnWindow must be a positive integer, got ${o.knnWindow}.`)
  const ranker = getDefinedOptions(DEFAULT_RANKER_OPTIONS, o.ranker)
  for (const name of ["cutoffs", "maxCustomers", "trees", "minLeafRows"] as const) {
    if (!Number.isInteger(ranker[name]) || ranker[name] < 1) throw new Error(`ranker.${name} must be a positive integer, got ${ranker[name]}.`)
  }
  ranker.maxLeaves = { ...DEFAULT_RANKER_OPTIONS.maxLeaves, ...ranker.maxLeaves }
  for (const level of ["category", "product"] as const) {
    const v = ranker.maxLeaves[level]
    if (!Number.isInteger(v) || v < 2) throw new Error(`ranker.maxLeaves.${level} must be an integer >= 2, got ${v}.`)
  }
  if (!(ranker.learningRate > 0 && ranker.learningRate <= 1)) throw new Error(`ranker.learningRate must be in (0, 1], got ${ranker.learningRate}.`)
  if (!Number.isInteger(o.knnTopN) || o.knnTopN < 1) throw new Error(`knnTopN must be a positive integer, got ${o.knnTopN}.`)
  const seq = o.sequence ?? {}
  if (seq.mode !== undefined && seq.mode !== "candidates" && seq.mode !== "space") {
    throw new Error(`sequence.mode must be "candidates" or "space", got "${seq.mode}".`)
  }
  if (seq.slots !== undefined && (!Number.isInteger(seq.slots) || seq.slots < 2)) {
    throw new Error(`sequence.slots must be an integer >= 2, got ${seq.slots}.`)
  }
  const influence = getDefinedOptions(DEFAULT_INFLUENCE_OPTIONS, o.influence)
  checkInfluenceOptions(influence)
  return {
    ...o,
    influence,
    ranker,
    eventWeights: { ...DEFAULT_EVENT_WEIGHTS, ...o.eventWeights },
    segments: getDefinedOptions({ ...DEFAULT_SEGMENT_OPTIONS, seed: o.seed }, o.segments),
    transfer: getDefinedOptions(DEFAULT_TRANSFER_OPTIONS, o.transfer),
    sequence: getDefinedOptions(DEFAULT_SEQUENCE_STEP_OPTIONS, o.sequence),
    seasons: resolveSeasonOptions(o.seasons),
  }
}

/** The seasonal feature options with defaults (artifacts written before them have none). */
export function resolveSeasonOptions(options?: Partial<SeasonalFeatureOptions>): SeasonalFeatureOptions {
  const s = getDefinedOptions(DEFAULT_SEASONAL_FEATURE_OPTIONS, options)
  if (!(s.priorCustomers >= 0)) throw new Error(`seasons.priorCustomers must be >= 0, got ${s.priorCustomers}.`)
  if (!(s.minCycles > 0)) throw new Error(`seasons.minCycles must be > 0, got ${s.minCycles}.`)
  return s
}
