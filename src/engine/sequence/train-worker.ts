/**
 * Worker-thread entry for `trainInWorker`: trains (fit, then optionally fineTune)
 * off the caller's event loop and posts progress and the serialized model back.
 * Loaded as compiled JS (dist/engine/sequence/train-worker.js).
 */
import { parentPort, workerData } from "worker_threads"
import { initBackend } from "./backend"
import { createSequenceModel, loadSequenceModel } from "./lstm-model"
import type { WorkerJob, WorkerMessage } from "./worker-protocol"

function post(message: WorkerMessage): void {
  parentPort!.postMessage(message)
}

async function run(job: WorkerJob): Promise<void> {
  const backend = await initBackend(job.backend, {
    logger: () => undefined, // the main thread reports the backend once
    warn: (message) => post({ type: "warn", message }),
  })
  post({ type: "backend", backend })
  const model = job.base ? await loadSequenceModel(job.base) : await createSequenceModel(job.options)
  try {
    const fit = job.train
      ? await model.fitPacked(job.train, {
          onProgress: (p) => post({ type: "progress", progress: { ...p, phase: "fit" } }),
        })
      : undefined
    const fineTune = job.fineTune
      ? await model.fineTunePacked(job.fineTune.target, job.fineTune.overrides, {
          onProgress: (p) => post({ type: "progress", progress: { ...p, phase: "fineTune" } }),
        })
      : undefined
    const serialized = await model.serialize()
    post({ type: "done", result: { model: serialized, fit, fineTune, backend } })
  } finally {
    model.dispose()
  }
}

if (parentPort && workerData) {
  run(workerData as WorkerJob).catch((e: unknown) => {
    const err = e instanceof Error ? e : new Error(String(e))
    post({ type: "error", name: err.name, message: err.message, stack: err.stack })
  })
}
