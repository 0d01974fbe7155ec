import { dataSource } from "@medusajs/medusa/dist/loaders/database"
import { forgetCustomers, TrainedArtifacts } from "../engine/pipeline"
import { InterestModelVersion } from "../models/interest-model-version"
import { optOutKeySql } from "./sql/opt-out-key"

/** A version's metrics without the subjects' entries in `assignment` (customer -> segment). */
function forgetInMetrics(metrics: Record<string, unknown>, subjects: string[]): Record<string, unknown> {
  const assignment = metrics.assignment
  if (!Array.isArray(assignment)) return metrics
  const forget = new Set(subjects)
  return { ...metrics, assignment: assignment.filter((a) => !forget.has((a as { customer_id?: string })?.customer_id as string)) }
}

/** Trained model versions (`interest_model_version`). */
export const InterestModelVersionRepository = dataSource.getRepository(InterestModelVersion).extend({
  /**
   * Rewrites stored model versions (every one, soft-deleted ones too) without the
   * given subjects: their artifacts through the engine's `forgetCustomers`, their
   * metrics without the subjects' segment assignments. A rewritten version gets a
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
              OR (jsonb_typeof("metrics"->'assignment') = 'array'
                  AND EXISTS (SELECT 1 FROM jsonb_array_elements("metrics"->'assignment') a WHERE a->>'customer_id' = ANY($1))))
       ORDER BY "id" FOR UPDATE`,
      [subjects, versionId]
    )
    for (const { id } of rows) {
      const [row]: { artifacts: TrainedArtifacts | null; metrics: Record<string, unknown> | null }[] = await this.query(
        `SELECT "artifacts", "metrics" FROM "interest_model_version" WHERE "id" = $1`,
        [id]
      )
      const artifacts = row.artifacts ? forgetCustomers(row.artifacts, subjects).artifacts : null
      await this.query(
        `UPDATE "interest_model_version" SET "artifacts" = $2, "metrics" = $3, "updated_at" = clock_timestamp() WHERE "id" = $1`,
        [id, artifacts ? JSON.stringify(artifacts) : null, row.metrics ? JSON.stringify(forgetInMetrics(row.metrics, subjects)) : null]
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
