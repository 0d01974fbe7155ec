/** Messages between `trainInWorker` (main thread) and `train-worker` (the worker thread). */
import type { FitReport, SequenceModelOptions, SerializedSequenceModel, TrainingProgress } from "./contract"
import type { PackedSamples } from "./data"
import type { FineTuneOverrides } from "./lstm-model"

/** Sent as `workerData` (typed-array buffers transferred, not copied). */
export interface WorkerJob {
  options: SequenceModelOptions
  base?: SerializedSequenceModel
  train?: PackedSamples
  fineTune?: { target: PackedSamples; overrides?: FineTuneOverrides }
  backend?: string
}

export type TrainingPhase = "fit" | "fineTune"

/** Progress of one phase, as reported by the worker. */
export interface WorkerProgress extends TrainingProgress {
  phase: TrainingPhase
}

export interface TrainInWorkerResult {
  /** The trained model, ready for `loadSequenceModel` or a jsonb column. */
  model: SerializedSequenceModel
  fit?: FitReport
  fineTune?: FitReport
  /** The tfjs backend the worker trained on. */
  backend: string
}

export type WorkerMessage =
  | { type: "backend"; backend: string }
  | { type: "warn"; message: string }
  | { type: "progress"; progress: WorkerProgress }
  | { type: "done"; result: TrainInWorkerResult }
  | { type: "error"; name: string; message: string; stack?: string }
