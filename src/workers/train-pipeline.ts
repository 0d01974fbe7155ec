/**
 * Worker-thread entry of a training run. The whole engine pipeline (profiles,
 * k-means, LSTM, blend fitting) runs here, so the shop's event loop keeps
 * serving while a model trains. Messages: progress strings, then the artifacts
 * or an error.
 */
import { parentPort, workerData } from "worker_threads"
import { trainPipeline, TrainPipelineOptions } from "../engine/pipeline"
import type { CatalogProduct, InterestEvent } from "../engine/types"

export interface TrainPipelineRequest {
  events: InterestEvent[]
  catalog: CatalogProduct[]
  options: TrainPipelineOptions
  /** Sets TFJS_BACKEND for the sequence model ("auto" leaves the loader's order). */
  backend?: string
}

export type TrainPipelineMessage =
  | { type: "progress"; message: string }
  | { type: "done"; artifacts: unknown }
  | { type: "error"; message: string; stack?: string }

async function main(): Promise<void> {
  const request = workerData as TrainPipelineRequest
  if (request.backend && request.backend !== "auto") process.env.TFJS_BACKEND = request.backend
  const post = (m: TrainPipelineMessage): void => parentPort?.postMessage(m)
  try {
    // Hand the events over without keeping a reference here: trainPipeline drops them once
    // they are encoded, so they can be collected while training runs.
    const take = (): InterestEvent[] => {
      const events = request.events
      request.events = []
      return events
    }
    const artifacts = await trainPipeline(take(), request.catalog, request.options, {
      onProgress: (message) => post({ type: "progress", message }),
    })
    post({ type: "done", artifacts })
  } catch (e) {
    const err = e as Error
    post({ type: "error", message: err?.message ?? String(e), stack: err?.stack })
  }
}

if (parentPort) {
  void main()
}
