import { dataSource } from "@medusajs/medusa/dist/loaders/database"
import { InterestModelVersion } from "../models/interest-model-version"
import type { SegmentAssignmentEntry, RunSegments } from "../engine/flows/segment-flow"

/** A model version as the segment flow picks and names it. */
export interface FlowVersionRow {
  id: string
  status: string
  is_active: boolean
  created_at: Date
  /** `updated_at` as text: moves when an erasure rewrites the version. */
  revision: string
  has_assignment: boolean
  /** Entries of its segment assignment (customers it segmented). */
  customers: number
}

const VERSION_COLUMNS = `v."id", v."status", v."is_active", v."created_at", v."updated_at"::text AS "revision",
  jsonb_typeof(v."segment_assignment") = 'array' AS "has_assignment",
  CASE WHEN jsonb_typeof(v."segment_assignment") = 'array' THEN jsonb_array_length(v."segment_assignment") ELSE 0 END AS "customers"`

/** A version the flow can start or end at: ready, not deleted, with a segment assignment. */
const FLOWABLE = `v."status" = 'ready' AND v."deleted_at" IS NULL AND jsonb_typeof(v."segment_assignment") = 'array'`

/** A version's creation time read in SQL: a JS Date would drop its microseconds and misorder versions. */
const CREATED_AT_OF = (param: string): string => `(SELECT w."created_at" FROM "interest_model_version" w WHERE w."id" = ${param}::text)`

/**
 * The reads of the segment flow (GET /admin/interest/flows): model versions'
 * segment assignments and segment lists, and the segments' names. Only the
 * parts needed are read: a version's artifacts hold the whole model.
 */
export const InterestSegmentFlowRepository = dataSource.getRepository(InterestModelVersion).extend({
  /** @return the version (soft-deleted ones are not found), or null */
  async version(id: string): Promise<FlowVersionRow | null> {
    const [row] = await this.query(`SELECT ${VERSION_COLUMNS} FROM "interest_model_version" v WHERE v."id" = $1 AND v."deleted_at" IS NULL`, [id])
    return row ?? null
  },

  /**
   * @param before - only versions trained before this one (by creation, then id), when given
   * @return the latest versions a flow can compare, newest first
   */
  async latestFlowable(limit: number, before: FlowVersionRow | null = null): Promise<FlowVersionRow[]> {
    return await this.query(
      `SELECT ${VERSION_COLUMNS} FROM "interest_model_version" v
       WHERE ${FLOWABLE} AND ($2::text IS NULL OR (v."created_at", v."id") < (${CREATED_AT_OF("$2")}, $2::text))
       ORDER BY v."created_at" DESC, v."id" DESC LIMIT $1`,
      [limit, before?.id ?? null]
    )
  },

  /**
   * The ready runs up to and including `last` (by creation), newest first, with
   * each one's segments (id, size, centroid).
   */
  async runsUpTo(last: FlowVersionRow, limit: number): Promise<(RunSegments & { id: string; created_at: Date; revision: string })[]> {
    const rows: { id: string; created_at: Date; revision: string; segments: RunSegments["segments"] | null }[] = await this.query(
      `SELECT v."id", v."created_at", v."updated_at"::text AS "revision",
              (SELECT jsonb_agg(jsonb_build_object('id', s->'id', 'size', s->'size', 'centroid', s->'centroid') ORDER BY n)
               FROM jsonb_array_elements(v."artifacts"->'segments'->'list') WITH ORDINALITY AS l(s, n)) AS "segments"
       FROM "interest_model_version" v
       WHERE v."status" = 'ready' AND v."deleted_at" IS NULL AND jsonb_typeof(v."artifacts"->'segments'->'list') = 'array'
         AND (v."created_at", v."id") <= (${CREATED_AT_OF("$1")}, $1::text)
       ORDER BY v."created_at" DESC, v."id" DESC LIMIT $2`,
      [last.id, limit]
    )
    return rows.map((r) => ({ ...r, segments: r.segments ?? [] }))
  },

  /** @return each customer's segment in the version */
  async assignmentOf(id: string): Promise<SegmentAssignmentEntry[]> {
    return await this.query(
      `SELECT a->>'customer_id' AS "customer_id", a->>'segment_id' AS "segment_id"
       FROM "interest_model_version" v, jsonb_array_elements(v."segment_assignment") a
       WHERE v."id" = $1 AND jsonb_typeof(v."segment_assignment") = 'array'`,
      [id]
    )
  },

  /** @return the segments' names and statuses as the admin keeps them (renames included) */
  async segmentNames(ids: string[]): Promise<Map<string, { name: string; status: string }>> {
    if (!ids.length) return new Map()
    const rows: { id: string; name: string; status: string }[] = await this.query(
      `SELECT "id", "name", "status" FROM "interest_segment" WHERE "id" = ANY($1) AND "deleted_at" IS NULL`,
      [ids]
    )
    return new Map(rows.map((r) => [r.id, { name: r.name, status: r.status }]))
  },
})

export default InterestSegmentFlowRepository
