import { dataSource } from "@medusajs/medusa/dist/loaders/database"
import { forgetCustomers, TrainedArtifacts } from "../engine/pipeline"
import { yieldToEventLoop } from "../engine/util/yield"
import { InterestModelVersion } from "../models/interest-model-version"
import { InterestProfileRepository } from "./interest-profile"
import { InterestRecommendationRepository } from "./interest-recommendation"
import { InterestSegmentRepository } from "./interest-segment"
import { optOutKeySql } from "./sql/opt-out-key"
import type { SegmentAssignment } from "../types/segment-assignment"
import type { SqlChunk, TrainedVersion } from "./sql/trained-rows"

/** A version's segment assignment without the subjects' entries. */
function forgetInAssignment(assignment: SegmentAssignment[], subjects: string[]): SegmentAssignment[] {
  const forget = new Set(subjects)
  return assignment.filter((a) => !forget.has(a?.customer_id))
}

/** Trained model versions (`interest_model_version`). */
export const InterestModelVersionRepository = dataSource.getRepository(InterestModelVersion).extend({
  /** Stores the row of a version a run starts training. */
  async createTraining(
    id: string,
    runId: string,
    options: Record<string, unknown>,
    counts: { events: number; customers: number }
  ): Promise<void> {
    await this.query(
      `INSERT INTO interest_model_version (id, status, training_run_id, options, event_count, customer_count)
       VALUES ($1, 'training', $2, $3, $4, $5)`,
      [id, runId, JSON.stringify(options), counts.events, counts.customers]
    )
  },

  /**
   * Writes what a training run built for its version: the version's own columns
   * (status ready), its segments, the profiles and the precomputed lists (the
   * insert chunks, in the order the worker built them, yielding to the event
   * loop in between). A shopper erased while the version trained (on events
   * loaded before the erasure) is then forgotten in it, before it can serve.
   * The one place a trained version is written: call it inside the transaction
   * that activates the version.
   */
  async saveTrained(versionId: string, version: TrainedVersion, chunks: SqlChunk[], durationMs: number): Promise<void> {
    await this.query(
      `UPDATE interest_model_version SET status = 'ready', artifacts = $2, metrics = $3, segment_assignment = $4, backend = $5,
         duration_ms = $6, updated_at = now()
       WHERE id = $1`,
      [versionId, version.artifactsJson, version.metricsJson, version.segmentAssignmentJson, version.backend, durationMs]
    )
    await this.manager.withRepository(InterestSegmentRepository).upsertTrained(versionId, version.segments)
    for (const chunk of chunks) {
      await yieldToEventLoop()
      await this.query(chunk.sql, JSON.parse(chunk.paramsJson) as unknown[])
    }
    await yieldToEventLoop()
    const erased = await this.optedOutSubjectsOf(versionId)
    if (erased.length) {
      await this.forgetSubjects(erased, versionId)
      await this.manager.withRepository(InterestProfileRepository).deleteSubjects(erased)
      await this.manager.withRepository(InterestRecommendationRepository).deleteSubjectsOfVersion(versionId, erased)
    }
  },

  /** Marks a version that is still training failed. */
  async failTraining(id: string, error: string): Promise<void> {
    await this.query(`UPDATE interest_model_version SET status = 'failed', error = $2, updated_at = now() WHERE id = $1 AND status = 'training'`, [
      id,
      error,
    ])
  },

  async anyTraining(): Promise<boolean> {
    const rows = await this.query(`SELECT 1 FROM interest_model_version WHERE status = 'training' LIMIT 1`)
    return rows.length > 0
  },

  /**
   * Marks every version still training failed, with its run's error when the
   * run failed, else `error`.
   */
  async failAllTraining(error: string): Promise<void> {
    await this.query(
      `UPDATE interest_model_version v SET status = 'failed', updated_at = now(),
         error = COALESCE((SELECT r.error FROM interest_training_run r WHERE r.id = v.training_run_id AND r.status = 'failed'), $1 || '.')
       WHERE v.status = 'training'`,
      [error]
    )
  },

  /**
   * The active version's segment list. Only that part of the artifacts is read:
   * parsing the whole column (model weights, every customer's state) blocked the
   * event loop for tens of milliseconds.
   */
  async activeSegmentList(): Promise<TrainedArtifacts["segments"]["list"]> {
    const [row] = await this.query(
      `SELECT artifacts->'segments'->'list' AS list FROM interest_model_version WHERE is_active AND deleted_at IS NULL LIMIT 1`
    )
    return (row?.list ?? []) as TrainedArtifacts["segments"]["list"]
  },

  /**
   * The versions that can serve: the active one and those of `ids` that are
   * ready and not deleted, with their revision (`updated_at` as text).
   * @param ids - versions named by serving experiments
   */
  async servingRevisions(ids: string[]): Promise<{ id: string; revision: string; is_active: boolean }[]> {
    return await this.query(
      `SELECT id, updated_at::text AS revision, is_active FROM interest_model_version
       WHERE deleted_at IS NULL AND status = 'ready' AND (is_active OR id = ANY($1))`,
      [ids]
    )
  },

  /**
   * What an experiment arm naming these versions needs to know of them; soft-deleted rows included.
   * @return one row per id found
   */
  async armStates(ids: string[]): Promise<{ id: string; status: string; deleted: boolean; has_artifacts: boolean }[]> {
    return await this.query(
      `SELECT id, status, deleted_at IS NOT NULL AS deleted, artifacts IS NOT NULL AS has_artifacts
       FROM interest_model_version WHERE id = ANY($1)`,
      [ids]
    )
  },

  /** @return a version's artifacts and creation time, or null when there is no such row */
  async artifactsOf(id: string): Promise<{ artifacts: TrainedArtifacts | null; created_at: Date } | null> {
    const [row] = await this.query(`SELECT artifacts, created_at FROM interest_model_version WHERE id = $1`, [id])
    return row ?? null
  },

  /**
   * Activations and deletions wait for each other (until the transaction ends),
   * so two of them cannot both pass the "at most one active" check.
   */
  async lockActivation(): Promise<void> {
    await this.query(`SELECT pg_advisory_xact_lock(hashtext('interest_model_version.activate'))`)
  },

  /** @return the id of the version that was active, if any */
  async deactivateCurrent(): Promise<string | null> {
    // TypeORM answers an UPDATE with [rows, affected count].
    const [previous]: [{ id: string }[], number] = await this.query(
      `UPDATE "interest_model_version" SET "is_active" = false, "updated_at" = now()
       WHERE "is_active" AND "deleted_at" IS NULL RETURNING "id"`
    )
    return previous[0]?.id ?? null
  },

  async markActive(id: string): Promise<void> {
    await this.query(
      `UPDATE "interest_model_version" SET "is_active" = true, "activated_at" = now(), "updated_at" = now()
       WHERE "id" = $1`,
      [id]
    )
  },

  /**
   * Rewrites stored model versions (every one, soft-deleted ones too) without the
   * given subjects: their artifacts through the engine's `forgetCustomers`, their
   * segment assignment without the subjects' entries. A rewritten version gets a
   * new `updated_at`, which makes every process's model registry load it again.
   * @param subjects - customer ids and visitor subjects (`v:` + visitor id)
   * @param versionId - only this version (default: all)
   * @return how many versions were rewritten
   */
  async forgetSubjects(subjects: string[], versionId: string | null = null): Promise<number> {
    if (!subjects.length) return 0
    const rows: { id: string }[] = await this.query(
      `SELECT "id" FROM "interest_model_version"
       WHERE ($2::text IS NULL OR "id" = $2)
         AND (jsonb_exists_any("artifacts"->'customers'->'ids', $1::text[])
              OR (jsonb_typeof("segment_assignment") = 'array'
                  AND EXISTS (SELECT 1 FROM jsonb_array_elements("segment_assignment") a WHERE a->>'customer_id' = ANY($1))))
       ORDER BY "id" FOR UPDATE`,
      [subjects, versionId]
    )
    for (const { id } of rows) {
      const [row]: { artifacts: TrainedArtifacts | null; segment_assignment: unknown }[] = await this.query(
        `SELECT "artifacts", "segment_assignment" FROM "interest_model_version" WHERE "id" = $1`,
        [id]
      )
      const artifacts = row.artifacts ? forgetCustomers(row.artifacts, subjects).artifacts : null
      const assignment = Array.isArray(row.segment_assignment)
        ? forgetInAssignment(row.segment_assignment as SegmentAssignment[], subjects)
        : row.segment_assignment
      await this.query(
        `UPDATE "interest_model_version" SET "artifacts" = $2, "segment_assignment" = $3, "updated_at" = clock_timestamp() WHERE "id" = $1`,
        [id, artifacts ? JSON.stringify(artifacts) : null, assignment == null ? null : JSON.stringify(assignment)]
      )
    }
    return rows.length
  },

  /**
   * The subjects of a version that opted out (an erasure that ran while the
   * version was training, on events loaded before it): found by digest, in SQL.
   */
  async optedOutSubjectsOf(versionId: string): Promise<string[]> {
    const rows: { s: string }[] = await this.query(
      `SELECT s FROM "interest_model_version" v, jsonb_array_elements_text(v."artifacts"->'customers'->'ids') s
       WHERE v."id" = $1 AND ${optOutKeySql("s")} IN (SELECT "subject_id" FROM "interest_opt_out")`,
      [versionId]
    )
    return rows.map((r) => r.s)
  },
})

export default InterestModelVersionRepository
