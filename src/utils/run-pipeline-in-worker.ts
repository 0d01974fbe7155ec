import fs from "fs"
import path from "path"
import { Worker } from "worker_threads"
import type { TrainedArtifacts } from "../engine/pipeline"
import type { TrainPipelineMessage, TrainPipelineRequest } from "../workers/train-pipeline"

export interface PipelineJob {
  promise: Promise<TrainedArtifacts>
  /** Stops the worker; the promise rejects with an Error named "AbortError". */
  cancel(): void
}

/** The compiled worker script (the plugin always runs from dist/). */
export function pipelineWorkerScript(): string {
  const script = path.resolve(__dirname, "..", "workers", "train-pipeline.js")
  if (!fs.existsSync(script)) {
    throw new Error(`Training worker not found at ${script}: run \`npm run build\`.`)
  }
  return script
}

/** Runs `trainPipeline` in a worker thread, forwarding its progress messages. */
export function runPipelineInWorker(
  request: TrainPipelineRequest,
  onProgress: (message: string) => void = () => undefined,
  maxHeapMb?: number
): PipelineJob {
  const worker = new Worker(pipelineWorkerScript(), {
    workerData: request,
    ...(maxHeapMb ? { resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } } : {}),
  })
  let settled = false
  let cancel: () => void = () => undefined
  const promise = new Promise<TrainedArtifacts>((resolve, reject) => {
    const finish = (fn: () => void): void => {
      if (settled) return
      settled = true
      fn()
      void worker.terminate()
    }
    cancel = () =>
      finish(() => {
        const err = new Error("Training was cancelled.")
        err.name = "AbortError"
        reject(err)
      })
    worker.on("message", (m: TrainPipelineMessage) => {
      if (m.type === "progress") onProgress(m.message)
      else if (m.type === "done") finish(() => resolve(m.artifacts as TrainedArtifacts))
      else if (m.type === "error") finish(() => reject(new Error(m.message)))
    })
    worker.on("error", (e: Error & { code?: string }) =>
      finish(() =>
        reject(
          e.code === "ERR_WORKER_OUT_OF_MEMORY"
            ? new Error(`Training ran out of memory (heap limit ${maxHeapMb} MB): raise the plugin option trainingMaxHeapMb.`)
            : e
        )
      )
    )
    worker.on("exit", (code) =>
      finish(() => reject(new Error(`The training worker exited with code ${code} before finishing.`)))
    )
  })
  return { promise, cancel: () => cancel() }
}
