/**
 * Worker-thread entry of a training run. The whole engine pipeline (profiles,
 * k-means, LSTM, blend fitting) runs here, so the shop's event loop keeps
 * serving while a model trains. After training, the worker also does the CPU
 * part of saving: it serializes the artifacts column, ranks every customer for
 * the precomputed lists and builds every row, down to the SQL text and
 * parameters of each bulk insert, so the main thread only sends them to
 * Postgres. Messages: progress strings, then one message per insert chunk,
 * then the version's own columns (or an error).
 */
import os from "os"
import { parentPort, workerData } from "worker_threads"
import { generateEntityId } from "@medusajs/medusa/dist/utils/generate-entity-id"
import { recommend, trainPipeline, TrainedArtifacts, TrainPipelineOptions } from "../engine/pipeline"
import type { CatalogProduct, InterestEvent } from "../engine/types"
import type { BackendChoice } from "../engine/sequence/contract"
import { VISITOR_PREFIX } from "../types/events"
import { humanize } from "../utils/interest-names"

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

/**
 * One bulk insert, ready for `query(sql, JSON.parse(paramsJson))`. The
 * parameters (strings, numbers, nulls) travel as one JSON string: a string
 * crosses threads as a plain copy, and the main thread parses each chunk only
 * when it sends it, instead of deserializing every row as messages arrive.
 */
export interface SqlChunk {
  table: "interest_profile" | "interest_recommendation"
  sql: string
  paramsJson: string
}

/** A segment row: [id, auto_name, size, top_interests JSON, centroid JSON, cohesion, drift]. */
export type SegmentRow = [string, string, number, string, string, number, number | null]

/** The model version's own columns and its segments. */
export interface PersistPayload {
  /** `JSON.stringify(artifacts)`: the interest_model_version.artifacts column. */
  artifactsJson: string
  metricsJson: string
  backend: string
  segments: SegmentRow[]
  /** How many SqlChunk messages came before this payload (a check on the main thread). */
  chunks: number
}

export type TrainPipelineMessage =
  | { type: "progress"; message: string }
  | { type: "chunk"; chunk: SqlChunk }
  | { type: "done"; payload: PersistPayload }
  | { type: "error"; message: string; stack?: string }

/**
 * Builds everything `InterestTrainingService.persist` writes, in the order it
 * writes it, handing each insert chunk to `emit` as soon as it is built.
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
  const assignment: { segment_id: string; customer_id: string; distance: number | null }[] = []
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
    assignment,
  })
  const backend = a.report.lstm.used ? a.report.lstm.backend : "none"

  // Profiles: one row per customer and period.
  const period = a.options.period
  const profiles: unknown[][] = []
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
  insertChunks(
    "interest_profile",
    `INSERT INTO interest_profile (id, subject_id, subject_type, dimension, period, period_start, vector, event_count, model_version_id)`,
    `($1, $2, $3, 'category', $4, $5, $6, $7, $8)`,
    profiles,
    `ON CONFLICT (subject_id, dimension, period, period_start) DO UPDATE SET
         vector = EXCLUDED.vector, event_count = EXCLUDED.event_count, model_version_id = EXCLUDED.model_version_id, updated_at = now()`,
    send
  )

  // Precomputed lists: trending, one per segment, then every customer's for_you.
  const limit = request.placementLimit
  const recommendations: unknown[][] = []
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
  insertChunks(
    "interest_recommendation",
    `INSERT INTO interest_recommendation (id, model_version_id, subject_id, placement, context_id, items)`,
    `($1, $2, $3, $4, $5, $6)`,
    recommendations,
    `ON CONFLICT (model_version_id, subject_id, placement, context_id) DO NOTHING`,
    send
  )

  return { artifactsJson: JSON.stringify(artifacts), metricsJson, backend, segments, chunks }
}

/** Parameters per bulk insert (Postgres allows 65,535; smaller chunks keep each write, and each message, short). */
const PARAMS_PER_CHUNK = 6000

/** Bulk inserts of `rows` in chunks; `template` uses $1..$n for one row. */
function insertChunks(
  table: SqlChunk["table"],
  head: string,
  template: string,
  rows: unknown[][],
  tail: string,
  send: (chunk: SqlChunk) => void
): void {
  if (!rows.length) return
  const width = rows[0].length
  const perChunk = Math.max(1, Math.floor(PARAMS_PER_CHUNK / width))
  for (let i = 0; i < rows.length; i += perChunk) {
    const chunk = rows.slice(i, i + perChunk)
    const params: unknown[] = []
    const values = chunk.map((row, r) => {
      params.push(...row)
      return template.replace(/\$(\d+)/g, (_, n) => `$${r * width + Number(n)}`)
    })
    send({ table, sql: `${head} VALUES ${values.join(", ")} ${tail}`, paramsJson: JSON.stringify(params) })
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
