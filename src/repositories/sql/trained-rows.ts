/**
 * The rows a training run writes, as the training worker builds them, and the
 * SQL text of the bulk inserts of its profiles and precomputed lists. The worker
 * thread builds that text too (it has no `dataSource`), so the main thread only
 * sends it: InterestModelVersionRepository.saveTrained writes all of it.
 */

/** A segment row: [id, auto_name, size, top_interests JSON, centroid JSON, cohesion, drift]. */
export type SegmentRow = [string, string, number, string, string, number, number | null]

/** A profile row: [id, subject_id, subject_type, period, period_start ISO, vector JSON, event_count, model_version_id]. */
export type ProfileRow = [string, string, string, string, string, string, number, string]

/** A precomputed list row: [id, model_version_id, subject_id, placement, context_id, items JSON]. */
export type RecommendationRow = [string, string, string, string, string, string]

/** A trained version's own columns (serialized) and its segments. */
export interface TrainedVersion {
  /** `JSON.stringify(artifacts)`: the interest_model_version.artifacts column. */
  artifactsJson: string
  metricsJson: string
  /** JSON of the version's SegmentAssignment[]: the segments' members once the version is active. */
  segmentAssignmentJson: string
  backend: string
  segments: SegmentRow[]
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

/** A retrain rewrites a subject's profile of a period in place. */
export function profileChunks(rows: ProfileRow[], send: (chunk: SqlChunk) => void): void {
  insertChunks(
    "interest_profile",
    `INSERT INTO interest_profile (id, subject_id, subject_type, dimension, period, period_start, vector, event_count, model_version_id)`,
    `($1, $2, $3, 'category', $4, $5, $6, $7, $8)`,
    rows,
    `ON CONFLICT (subject_id, dimension, period, period_start) DO UPDATE SET
         vector = EXCLUDED.vector, event_count = EXCLUDED.event_count, model_version_id = EXCLUDED.model_version_id, updated_at = now()`,
    send
  )
}

/** Lists belong to their version: a version's key is written once. */
export function recommendationChunks(rows: RecommendationRow[], send: (chunk: SqlChunk) => void): void {
  insertChunks(
    "interest_recommendation",
    `INSERT INTO interest_recommendation (id, model_version_id, subject_id, placement, context_id, items)`,
    `($1, $2, $3, $4, $5, $6)`,
    rows,
    `ON CONFLICT (model_version_id, subject_id, placement, context_id) DO NOTHING`,
    send
  )
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
