import { dataSource } from "@medusajs/medusa/dist/loaders/database"
import { InterestSegmentMember } from "../models/interest-segment-member"

/** One member of a segment, with the customer's contact fields for the admin. */
export interface SegmentMember {
  customer_id: string
  email: string | null
  first_name: string | null
  last_name: string | null
  has_account: boolean | null
  distance: number | null
  model_version_id: string | null
  created_at: Date
}

/** Segment membership (`interest_segment_member`): the active version's segment assignment. */
export const InterestSegmentMemberRepository = dataSource.getRepository(InterestSegmentMember).extend({
  /**
   * Members := the version's `segment_assignment`, for the segments that exist.
   * A version without an assignment leaves membership as it is.
   * @return whether the members were replaced
   */
  async replaceWithAssignmentOf(versionId: string): Promise<boolean> {
    const [row]: { has: boolean }[] = await this.query(
      `SELECT jsonb_typeof(segment_assignment) = 'array' AS has FROM interest_model_version WHERE id = $1`,
      [versionId]
    )
    if (!row?.has) return false
    await this.query(`DELETE FROM interest_segment_member`)
    await this.query(
      `INSERT INTO interest_segment_member (segment_id, customer_id, distance, model_version_id)
       SELECT (a->>'segment_id'), (a->>'customer_id'), (a->>'distance')::real, v.id
       FROM interest_model_version v, jsonb_array_elements(v.segment_assignment) a
       WHERE v.id = $1 AND EXISTS (SELECT 1 FROM interest_segment s WHERE s.id = a->>'segment_id')`,
      [versionId]
    )
    return true
  },

  /** @return a page of a segment's members, closest to the centroid first */
  async listWithCustomers(segmentId: string, skip: number, take: number): Promise<SegmentMember[]> {
    return await this.query(
      `SELECT m."customer_id", c."email", c."first_name", c."last_name", c."has_account",
              m."distance", m."model_version_id", m."created_at"
       FROM "interest_segment_member" m
       LEFT JOIN "customer" c ON c."id" = m."customer_id"
       WHERE m."segment_id" = $1
       ORDER BY m."distance" ASC NULLS LAST, m."customer_id" ASC
       OFFSET $2 LIMIT $3`,
      [segmentId, skip, take]
    )
  },

  async countOf(segmentId: string): Promise<number> {
    const [row]: { count: number }[] = await this.query(
      `SELECT count(*)::int AS "count" FROM "interest_segment_member" WHERE "segment_id" = $1`,
      [segmentId]
    )
    return row?.count ?? 0
  },

  /** @return the members whose customer still exists (a deleted customer cannot join a group) */
  async liveCustomerIds(segmentId: string): Promise<string[]> {
    const rows: { customer_id: string }[] = await this.query(
      `SELECT m."customer_id" FROM "interest_segment_member" m
       JOIN "customer" c ON c."id" = m."customer_id" AND c."deleted_at" IS NULL
       WHERE m."segment_id" = $1`,
      [segmentId]
    )
    return rows.map((r) => r.customer_id)
  },
})

export default InterestSegmentMemberRepository
