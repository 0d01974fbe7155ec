/**
 * Trains the sequence model in a `worker_threads` Worker. A training step blocks
 * its thread for about half a second, so training on the caller's thread would
 * stall a Medusa server's request loop; here the caller only receives messages.
 */
import * as fs from "fs"
import * as path from "path"
import { Worker } from "worker_threads"
import type { SequenceSample, SerializedSequenceModel } from "./contract"
import { PackedSamples, packSamples } from "./data"
import { FineTuneOverrides, abortError } from "./lstm-model"
import { SequenceModelInput, getDefinedOptions } from "./options"
import type { TrainInWorkerResult, WorkerJob, WorkerMessage, WorkerProgress } from "./worker-protocol"

export type { TrainInWorkerResult, WorkerProgress, TrainingPhase } from "./worker-protocol"

export interface TrainInWorkerRequest {
  /** Options of a new model. Ignored when `base` is given (the base keeps its own options). */
  options?: SequenceModelInput
  /** Continue from (or fine-tune) a trained model instead of a new one. */
  base?: SerializedSequenceModel
  /** Samples for fit(); omit to only fine-tune `base`. */
  train?: SequenceSample[]
  /** Then fineTune() on these target-domain samples. */
  fineTune?: { target: SequenceSample[]; overrides?: FineTuneOverrides }
  /** Preferred tfjs backend in the worker (the TFJS_BACKEND environment variable still wins). */
  backend?: string
}

export interface TrainInWorkerCallbacks {
  onProgress?: (p: WorkerProgress) => void
  /** Aborting is the same as calling cancel(). */
  signal?: AbortSignal
  /** Reports the worker's backend (once per backend per process). @defaultValue console.info */
  logger?: (message: string) => void
  /** Warnings from the worker (backend fallbacks). @defaultValue console.warn */
  warn?: (message: string) => void
  /** Worker script to run; defaults to `resolveWorkerScript()`. */
  workerScript?: string
}

export interface TrainInWorkerHandle {
  /** Resolves with the trained model; rejects with an Error named "AbortError" after cancel(). */
  promise: Promise<TrainInWorkerResult>
  /** Stops the worker at once (terminates the thread, freeing its memory). */
  cancel(): void
}

const WORKER_FILE = "train-worker.js"
const loggedBackends = new Set<string>()

/**
 * Where the compiled worker entry is. From compiled code it sits next to this file.
 * From TypeScript sources (ts-jest, ts-node) there is no .js next to the .ts, so
 * the compiled copy is looked up by swapping the last `src` folder for `dist`.
 * @throws Error telling to run `npm run build` when the compiled worker is missing.
 */
export function resolveWorkerScript(dir: string = __dirname): string {
  const local = path.join(dir, WORKER_FILE)
  if (fs.existsSync(local)) {
    return local
  }
  const parts = dir.split(path.sep)
  const i = parts.lastIndexOf("src")
  if (i >= 0) {
    parts[i] = "dist"
    const compiled = path.join(parts.join(path.sep) || path.sep, WORKER_FILE)
    if (fs.existsSync(compiled)) {
      return compiled
    }
    throw new Error(
      `The training worker is not built: ${compiled} is missing. Run \`npm run build\` first ` +
        "(worker threads run compiled JavaScript, not TypeScript sources)."
    )
  }
  throw new Error(`The training worker ${local} is missing. Run \`npm run build\`.`)
}

function transferables(...sets: (PackedSamples | undefined)[]): ArrayBuffer[] {
  const out: ArrayBuffer[] = []
  for (const s of sets) {
    if (s) {
      for (const a of [s.x, s.y, s.w]) {
        if (a && !out.includes(a.buffer as ArrayBuffer)) {
          out.push(a.buffer as ArrayBuffer)
        }
      }
    }
  }
  return out
}

/**
 * Runs fit (and optionally fineTune) in a worker thread.
 * Inputs are checked and packed on the calling thread, so shape errors reject
 * the promise before any worker starts.
 */
export function trainInWorker(
  request: TrainInWorkerRequest,
  callbacks: TrainInWorkerCallbacks = {}
): TrainInWorkerHandle {
  let worker: Worker | null = null
  let settled = false
  let rejectFn: (e: Error) => void = () => undefined

  const cancel = (): void => {
    if (settled) {
      return
    }
    settled = true
    const w = worker
    worker = null
    callbacks.signal?.removeEventListener("abort", cancel)
    rejectFn(abortError("Sequence model training in the worker was cancelled."))
    void w?.terminate()
  }

  const promise = new Promise<TrainInWorkerResult>((resolve, reject) => {
    rejectFn = reject
    if (!request.train && !request.fineTune) {
      throw new Error("trainInWorker: give `train` samples, `fineTune` samples, or both.")
    }
    if (request.fineTune && !request.train && !request.base) {
      throw new Error("trainInWorker: fine-tuning needs a trained `base` model (or `train` samples to fit first).")
    }
    if (!request.base && !request.options) {
      throw new Error("trainInWorker: give `options` for a new model or a `base` model.")
    }
    const options = getDefinedOptions(request.base ? request.base.options : request.options!)
    const job: WorkerJob = {
      options,
      base: request.base,
      backend: request.backend,
      train: request.train ? packSamples(request.train, options, true) : undefined,
      fineTune: request.fineTune
        ? { target: packSamples(request.fineTune.target, options, true), overrides: request.fineTune.overrides }
        : undefined,
    }
    if (callbacks.signal?.aborted) {
      throw abortError("Sequence model training in the worker was cancelled.")
    }
    const script = callbacks.workerScript ?? resolveWorkerScript()
    const logger = callbacks.logger ?? ((m: string) => console.info(m))
    const warn = callbacks.warn ?? ((m: string) => console.warn(m))

    const w = new Worker(script, {
      workerData: job,
      transferList: transferables(job.train, job.fineTune?.target),
    })
    worker = w
    const finish = (f: () => void): void => {
      if (settled) {
        return
      }
      settled = true
      worker = null
      callbacks.signal?.removeEventListener("abort", cancel)
      f()
    }
    w.on("message", (m: WorkerMessage) => {
      if (settled) {
        return
      }
      switch (m.type) {
        case "backend":
          if (!loggedBackends.has(m.backend)) {
            loggedBackends.add(m.backend)
            logger(`[interest] training worker uses TensorFlow.js backend: ${m.backend}`)
          }
          break
        case "warn":
          warn(m.message)
          break
        case "progress":
          try {
            callbacks.onProgress?.(m.progress)
          } catch (e) {
            // A throwing callback fails the run rather than crashing the caller's loop.
            finish(() => reject(e))
            void w.terminate()
          }
          break
        case "done":
          finish(() => resolve(m.result))
          void w.terminate()
          break
        case "error": {
          const err = new Error(m.message)
          err.name = m.name
          if (m.stack) {
            err.stack = m.stack
          }
          finish(() => reject(err))
          void w.terminate()
          break
        }
      }
    })
    w.on("error", (e) => finish(() => reject(e)))
    w.on("exit", (code) =>
      finish(() => reject(new Error(`The training worker exited (code ${code}) before returning a model.`)))
    )
    callbacks.signal?.addEventListener("abort", cancel, { once: true })
  })
  return { promise, cancel }
}
