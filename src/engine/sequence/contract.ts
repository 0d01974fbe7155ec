/**
 * The contract between the sequence model (src/engine/sequence) and the rest of
 * the engine (pipeline, evaluation, services). Agreed up front so both sides can
 * be built at the same time; change it only together with every caller.
 *
 * Shapes: a sample is one customer's window of `lookback` periods, each period a
 * feature vector of length `featureDim`; the target is the next period's interest
 * distribution over `outputDim` interests (non-negative, sums to 1 or all zero).
 */

export interface SequenceSample {
  /** [lookback][featureDim]; shorter histories are left-padded with zero rows by the caller. */
  steps: number[][]
  /** [outputDim]; absent at prediction time. */
  target?: number[]
  /** Optional sample weight (e.g. more weight on recent windows). */
  weight?: number
}

/**
 * The TensorFlow.js backend a run asks for: "auto" tries tfjs-node (when installed),
 * then wasm, then cpu (sequence/backend.ts); a named one is tried first.
 */
export const BACKEND_CHOICES = ["auto", "tensorflow", "wasm", "cpu"] as const
export type BackendChoice = (typeof BACKEND_CHOICES)[number]

/** How a model runs in this process, as opposed to what it is (not serialized). */
export interface SequenceRuntime {
  /** @defaultValue "auto" */
  backend?: BackendChoice
}

export interface SequenceModelOptions {
  /** @defaultValue 8 */
  lookback: number
  featureDim: number
  outputDim: number
  /** LSTM units. @defaultValue 32 */
  units: number
  /** @defaultValue 0.02 */
  learningRate: number
  /** @defaultValue 25 */
  epochs: number
  /** @defaultValue 128 */
  batchSize: number
  /** Fraction of samples held out for early stopping. @defaultValue 0.1 */
  validationSplit: number
  /** Epochs without validation improvement before stopping. @defaultValue 4 */
  patience: number
  /** Dropout on the recurrent output. @defaultValue 0.1 */
  dropout: number
  /** Seed for weight initialisation and shuffling. @defaultValue 42 */
  seed: number
}

export interface TrainingProgress {
  epoch: number
  epochs: number
  loss: number
  valLoss?: number
  /** Estimated milliseconds left. */
  etaMs: number
}

export interface FitReport {
  epochsRun: number
  bestValLoss: number
  finalLoss: number
  stoppedEarly: boolean
  durationMs: number
  backend: string
}

export interface FitCallbacks {
  onProgress?: (p: TrainingProgress) => void
  /** Aborting stops training at the next batch; fit() then rejects with an Error named "AbortError". */
  signal?: AbortSignal
}

/** Everything needed to rebuild a trained model; JSON-safe so it fits a jsonb/text column. */
export interface SerializedSequenceModel {
  format: "medusa-interest-lstm/1"
  options: SequenceModelOptions
  /** tfjs model topology (model.json "modelTopology"). */
  topology: unknown
  weightSpecs: unknown[]
  /** Base64 of the concatenated weight data. */
  weightData: string
}

export interface SequenceModel {
  readonly options: SequenceModelOptions
  fit(train: SequenceSample[], callbacks?: FitCallbacks): Promise<FitReport>
  /**
   * Transfer to a target domain: freeze the recurrent layer, train only the head
   * on the target samples (fewer epochs, lower learning rate by default).
   */
  fineTune(
    target: SequenceSample[],
    overrides?: Partial<Pick<SequenceModelOptions, "epochs" | "learningRate" | "patience">>,
    callbacks?: FitCallbacks
  ): Promise<FitReport>
  /** [n][outputDim] probability distributions. */
  predict(steps: number[][][]): Promise<number[][]>
  serialize(): Promise<SerializedSequenceModel>
  dispose(): void
}
