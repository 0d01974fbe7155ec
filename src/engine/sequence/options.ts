import type { SequenceModelOptions } from "./contract"
import { getDefinedOptions } from "../util/options"
import { DEFAULT_SEED } from "../util/random"

/** Options the caller must give: they depend on the data. */
export type RequiredSequenceOptions = Pick<SequenceModelOptions, "featureDim" | "outputDim">

/** What `createSequenceModel` accepts: the data-dependent sizes plus any overrides. */
export type SequenceModelInput = Partial<SequenceModelOptions> & RequiredSequenceOptions

/**
 * Defaults for everything but the data-dependent sizes (see the contract's
 * `@defaultValue`s). The pipeline's sequence step takes its own from here.
 */
export const DEFAULT_SEQUENCE_OPTIONS: Readonly<Omit<SequenceModelOptions, "featureDim" | "outputDim">> = {
  lookback: 8,
  units: 32,
  learningRate: 0.02,
  epochs: 25,
  batchSize: 128,
  validationSplit: 0.1,
  patience: 4,
  dropout: 0.1,
  seed: DEFAULT_SEED,
}

/**
 * How `fineTune` derives its defaults from the model's options when the caller
 * gives no override: a third of the epochs (at least 1), a fifth of the
 * learning rate, and the same patience.
 */
export const FINE_TUNE_DEFAULTS = {
  epochsFactor: 1 / 3,
  learningRateFactor: 0.2,
} as const

function check(condition: boolean, message: string): void {
  if (!condition) {
    throw new Error(message)
  }
}

function isPositiveInt(x: number): boolean {
  return Number.isInteger(x) && x > 0
}

/** Merges the defaults and checks every option once, with a readable error. */
export function resolveSequenceModelOptions(options: SequenceModelInput): SequenceModelOptions {
  const o = getDefinedOptions<SequenceModelOptions>({ ...DEFAULT_SEQUENCE_OPTIONS, featureDim: NaN, outputDim: NaN }, options)
  check(isPositiveInt(o.featureDim), `featureDim must be a positive integer, got ${o.featureDim}.`)
  check(isPositiveInt(o.outputDim), `outputDim must be a positive integer, got ${o.outputDim}.`)
  check(isPositiveInt(o.lookback), `lookback must be a positive integer, got ${o.lookback}.`)
  check(isPositiveInt(o.units), `units must be a positive integer, got ${o.units}.`)
  check(isPositiveInt(o.epochs), `epochs must be a positive integer, got ${o.epochs}.`)
  check(isPositiveInt(o.batchSize), `batchSize must be a positive integer, got ${o.batchSize}.`)
  check(Number.isInteger(o.patience) && o.patience >= 0, `patience must be a non-negative integer, got ${o.patience}.`)
  check(o.learningRate > 0 && Number.isFinite(o.learningRate), `learningRate must be > 0, got ${o.learningRate}.`)
  check(o.validationSplit >= 0 && o.validationSplit < 1, `validationSplit must be in [0, 1), got ${o.validationSplit}.`)
  check(o.dropout >= 0 && o.dropout < 1, `dropout must be in [0, 1), got ${o.dropout}.`)
  check(Number.isInteger(o.seed), `seed must be an integer, got ${o.seed}.`)
  return o
}
