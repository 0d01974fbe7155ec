/**
 * Worker-thread entry of a training run. The whole engine pipeline (profiles,
 * k-means, LSTM, blend fitting) runs here, so the shop's event loop keeps
 * serving while a model trains. After training, the worker also does the CPU
 * part of saving: it serializes the artifacts column, ranks every customer for
 * the precomputed lists and builds every row, down to the SQL text and
 * parameters of each bulk insert (src/repositories/sql/trained-rows.ts), so the
 * main thread only sends them to Postgres. Messages: progress strings, then one message per insert chunk,
 * then the version's own columns (or an error).
 */
import os from "os"
import { parentPort, workerData } from "worker_threads"
import { generateEntityId } from "@medusajs/medusa/dist/utils/generate-entity-id"
import { recommend, trainPipeline, TrainedArtifacts, TrainPipelineOptions } from "../engine/pipeline"
import type { CatalogProduct, InterestEvent } from "../engine/types"
import type { BackendChoice } from "../engine/sequence/contract"
import { VISITOR_PREFIX } from "../types/events"
import { humanize } from "../engine/util/humanize"
import {
  profileChunks,
  ProfileRow,
  recommendationChunks,
  RecommendationRow,
  SegmentRow,
  SqlChunk,
  TrainedVersion,
} from "../repositories/sql/trained-rows"
import type { SegmentAssignment } from "../types/segment-assignment"

export type { SqlChunk }

/** Customers who only ever browsed anonymously are keyed by their visitor id (same as the training service). */

export interface TrainPipelineRequest {
  events: InterestEvent[]
  catalog: CatalogProduct[]
  options: TrainPipelineOptions
  /** The sequence model's TensorFlow.js backend (the engine's `sequence.backend`). */
  backend?: BackendChoice
  /** What the rows need besides the artifacts. */
  persist: PersistRequest
}

export interface PersistRequest {
  versionId: string
  /** Human names of interest ids, for segment names, top interests and reasons. */
  names: [string, string][]
  /** Items per precomputed list (placementLimits.max). */
  placementLimit: number
}

/** The version's own columns and its segments, with a check on the insert chunks. */
export interface PersistPayload extends TrainedVersion {
  /** How many SqlChunk messages came before this payload (a check on the main thread). */
  chunks: number
}

export type TrainPipelineMessage =
  | { type: "progress"; message: string }
  | { type: "chunk"; chunk: SqlChunk }
  | { type: "done"; payload: PersistPayload }
  | { type: "error"; message: string; stack?: string }

/**
 * Builds every row `InterestModelVersionRepository.saveTrained` writes, in the
 * order it writes them, handing each insert chunk to `emit` as soon as it is built.
 * @return the version's columns and segments
 */
export function buildPersistPayload(
  artifacts: TrainedArtifacts,
  request: PersistRequest,
  emit: (chunk: SqlChunk) => void
): PersistPayload {
  const a = artifacts
  const names = new Map(request.names)
  const versionId = request.versionId
  let chunks = 0
  const send = (chunk: SqlChunk): void => {
    chunks++
    emit(chunk)
  }

  const segmentIdOf = (index: number): string | null => a.segments.list[index]?.id ?? null
  const assignment: SegmentAssignment[] = []
  a.customers.ids.forEach((customerId, i) => {
    const segmentId = segmentIdOf(a.customers.states[i].segment)
    if (segmentId && !customerId.startsWith(VISITOR_PREFIX)) {
      assignment.push({ segment_id: segmentId, customer_id: customerId, distance: null })
    }
  })
  const segments: SegmentRow[] = a.segments.list.map((s) => [
    s.id,
    humanize(s.name, names),
    s.size,
    JSON.stringify(s.topInterests.map((t) => ({ id: t.id, name: names.get(t.id) ?? t.id, weight: t.weight }))),
    JSON.stringify(s.centroid),
    s.cohesion,
    s.drift,
  ])
  const metricsJson = JSON.stringify({
    report: a.report,
    silhouette: a.segments.silhouette,
    segments: segments.map((s) => ({ id: s[0] })),
  })
  const backend = a.report.lstm.used ? a.report.lstm.backend : "none"

  // Profiles: one row per customer and period.
  const period = a.options.period
  const profiles: ProfileRow[] = []
  for (let i = 0; i < a.customers.ids.length; i++) {
    const subject = a.customers.ids[i]
    for (const [p, count, vector] of a.customers.states[i].periods) {
      profiles.push([
        generateEntityId(undefined, "iprof"),
        subject,
        subject.startsWith(VISITOR_PREFIX) ? "visitor" : "customer",
        period,
        new Date(periodStartMs(p, period)).toISOString(),
        JSON.stringify(Object.fromEntries(vector.map(([c, w]) => [a.categories[c], w]))),
        count,
        versionId,
      ])
    }
  }
  profileChunks(profiles, send)

  // Precomputed lists: trending, one per segment, then every customer's for_you.
  const limit = request.placementLimit
  const recommendations: RecommendationRow[] = []
  const add = (subject: string, placement: string, context: string, items: ReturnType<typeof recommend>["items"]): void => {
    recommendations.push([
      generateEntityId(undefined, "irec"),
      versionId,
      subject,
      placement,
      context,
      JSON.stringify(items.map((it) => ({ product_id: it.productId, score: it.score, reason: humanize(it.reason, names) }))),
    ])
  }
  add("*", "trending", "", recommend(a, { placement: "trending", limit }).items)
  for (const s of a.segments.list) {
    const member = a.customers.ids.find((_, i) => a.segments.list[a.customers.states[i].segment]?.id === s.id)
    if (member) add(s.id, "segment", s.id, recommend(a, { placement: "segment", customerId: member, limit }).items)
  }
  for (const subject of a.customers.ids) {
    if (subject.startsWith(VISITOR_PREFIX)) continue
    add(subject, "for_you", "", recommend(a, { placement: "for_you", customerId: subject, limit }).items)
  }
  recommendationChunks(recommendations, send)

  return {
    artifactsJson: JSON.stringify(artifacts),
    metricsJson,
    segmentAssignmentJson: JSON.stringify(assignment),
    backend,
    segments,
    chunks,
  }
}

/** Start of engine period `p` (periods count from the Unix epoch in UTC). */
export function periodStartMs(p: number, unit: string): number {
  const DAY = 86_400_000
  if (unit === "day") return p * DAY
  // 1970-01-01 was a Thursday; weeks start on Monday.
  if (unit === "week") return p * 7 * DAY - 3 * DAY
  const year = 1970 + Math.floor(p / 12)
  return Date.UTC(year, ((p % 12) + 12) % 12, 1)
}

/**
 * Nice value of the training thread. On Linux a nice value belongs to a thread
 * (setpriority with pid 0 changes the calling thread only), so this leaves the
 * shop's main thread at its priority: when the cores are busy, the scheduler
 * runs requests first and training with what is left. Elsewhere it applies to
 * the whole process, so it is only set on Linux.
 */
const TRAINING_NICE = 10

async function main(): Promise<void> {
  if (process.platform === "linux") {
    try {
      os.setPriority(Math.max(os.getPriority(), TRAINING_NICE))
    } catch {
      // Not allowed here (a sandbox): train at the inherited priority.
    }
  }
  const request = workerData as TrainPipelineRequest
  const post = (m: TrainPipelineMessage): void => parentPort?.postMessage(m)
  try {
    // Hand the events over without keeping a reference here: trainPipeline drops them once
    // they are encoded, so they can be collected while training runs.
    const take = (): InterestEvent[] => {
      const events = request.events
      request.events = []
      return events
    }
    const options = { ...request.options, sequence: { ...request.options.sequence, backend: request.backend } }
    const artifacts = await trainPipeline(take(), request.catalog, options, {
      onProgress: (message) => post({ type: "progress", message }),
    })
    post({ type: "progress", message: "building rows" })
    const payload = buildPersistPayload(artifacts, request.persist, (chunk) => post({ type: "chunk", chunk }))
    post({ type: "done", payload })
  } catch (e) {
    const err = e as Error
    post({ type: "error", message: err?.message ?? String(e), stack: err?.stack })
  }
}

if (parentPort) {
  void main()
}
