import { dataSource } from "@medusajs/medusa/dist/loaders/database"
import { InterestSegment } from "../models/interest-segment"
import type { SegmentRow } from "./sql/trained-rows"

/** Segments of customers with similar interests (`interest_segment`). */
export const InterestSegmentRepository = dataSource.getRepository(InterestSegment).extend({
  /**
   * Writes a trained version's segments. A segment keeps its id across
   * retrains; a merchant's name and pin stay.
   */
  async upsertTrained(versionId: string, segments: SegmentRow[]): Promise<void> {
    for (const [id, autoName, size, topInterests, centroid, cohesion, drift] of segments) {
      await this.query(
        `INSERT INTO interest_segment (id, name, auto_name, size, top_interests, centroid, cohesion, drift, status, model_version_id)
         VALUES ($1, $2, $2, $3, $4, $5, $6, $7, 'active', $8)
         ON CONFLICT (id) DO UPDATE SET
           auto_name = EXCLUDED.auto_name,
           name = CASE WHEN interest_segment.name = interest_segment.auto_name AND NOT interest_segment.pinned
                       THEN EXCLUDED.auto_name ELSE interest_segment.name END,
           size = EXCLUDED.size, top_interests = EXCLUDED.top_interests, centroid = EXCLUDED.centroid,
           cohesion = EXCLUDED.cohesion, drift = EXCLUDED.drift, status = 'active', deleted_at = NULL,
           model_version_id = EXCLUDED.model_version_id, updated_at = now()`,
        [id, autoName, size, topInterests, centroid, cohesion, drift, versionId]
      )
    }
  },

  /**
   * After the members were replaced by a version's: the version's segments are
   * active, the others retire unless pinned, and every size is its member count.
   */
  async applyVersion(versionId: string): Promise<void> {
    await this.query(
      `UPDATE interest_segment s SET
         status = CASE WHEN s.id IN (SELECT jsonb_array_elements(v.metrics->'segments')->>'id' FROM interest_model_version v WHERE v.id = $1)
                       THEN 'active' WHEN s.pinned THEN s.status ELSE 'retired' END,
         size = (SELECT count(*) FROM interest_segment_member m WHERE m.segment_id = s.id),
         updated_at = now()
       WHERE s.deleted_at IS NULL`,
      [versionId]
    )
  },

  /**
   * Locks a live segment's row for the transaction.
   * @return false when there is no such live segment
   */
  async lockLive(id: string): Promise<boolean> {
    const rows: { id: string }[] = await this.query(
      `SELECT "id" FROM "interest_segment" WHERE "id" = $1 AND "deleted_at" IS NULL FOR UPDATE`,
      [id]
    )
    return rows.length > 0
  },

  async markSynced(id: string, customerGroupId: string): Promise<void> {
    await this.query(
      `UPDATE "interest_segment" SET "customer_group_id" = $2, "synced_at" = now(), "updated_at" = now() WHERE "id" = $1`,
      [id, customerGroupId]
    )
  },
})

export default InterestSegmentRepository
