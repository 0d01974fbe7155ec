import fs from "fs"
import path from "path"
import { Worker } from "worker_threads"
import type { PersistPayload, SqlChunk, TrainPipelineMessage, TrainPipelineRequest } from "../workers/train-pipeline"

/** What the worker built: the insert chunks, in order, and the version's own columns. */
export interface PipelineResult {
  chunks: SqlChunk[]
  payload: PersistPayload
}

export interface PipelineJob {
  promise: Promise<PipelineResult>
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

/**
 * Runs `trainPipeline`, and the building of every row it saves, in a worker
 * thread, forwarding its progress messages. The rows arrive one insert chunk
 * per message, so no single message takes long to deserialize here.
 */
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
  const chunks: SqlChunk[] = []
  const promise = new Promise<PipelineResult>((resolve, reject) => {
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
      else if (m.type === "chunk") chunks.push(m.chunk)
      else if (m.type === "done") {
        finish(() =>
          m.payload.chunks === chunks.length
            ? resolve({ chunks, payload: m.payload })
            : reject(new Error(`The training worker sent ${chunks.length} of ${m.payload.chunks} row chunks.`))
        )
      }
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
