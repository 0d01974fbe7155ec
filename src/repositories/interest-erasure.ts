import { dataSource } from "@medusajs/medusa/dist/loaders/database"
import { InterestEvent } from "../models/interest-event"

/** TypeORM answers a DELETE or UPDATE with [rows, affected count]. */
type Affected<T = unknown> = [T[], number]

/**
 * The statements of a customer's erasure (services/interest-insights.ts
 * `eraseCustomer`), over every table that holds something of a shopper. Meant
 * to run in one transaction, after the customer's lock and the opt-out.
 */
export const InterestErasureRepository = dataSource.getRepository(InterestEvent).extend({
  /**
   * The visitor ids of a customer: identified into them, or sent on their own
   * events (unless identified into another customer).
   */
  async visitorIdsOf(customerId: string): Promise<string[]> {
    const rows: { visitor_id: string }[] = await this.query(
      `SELECT "visitor_id" FROM "interest_visitor_link" WHERE "customer_id" = $1
       UNION
       SELECT DISTINCT e."visitor_id" FROM "interest_event" e
       WHERE e."customer_id" = $1 AND e."visitor_id" IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM "interest_visitor_link" l WHERE l."visitor_id" = e."visitor_id" AND l."customer_id" <> $1)`,
      [customerId]
    )
    return rows.map((r) => r.visitor_id)
  },

  /**
   * Deletes the customer's segment memberships and shrinks those segments.
   * @return how many memberships were deleted
   */
  async deleteMemberships(customerId: string): Promise<number> {
    const [memberships]: Affected<{ segment_id: string }> = await this.query(
      `DELETE FROM "interest_segment_member" m USING "interest_segment" s
       WHERE m."customer_id" = $1 AND s."id" = m."segment_id"
       RETURNING m."segment_id"`,
      [customerId]
    )
    if (memberships.length) {
      await this.query(`UPDATE "interest_segment" SET "size" = GREATEST("size" - 1, 0), "updated_at" = now() WHERE "id" = ANY($1)`, [
        memberships.map((m) => m.segment_id),
      ])
    }
    return memberships.length
  },

  /** @return the customer groups linked to a segment that hold the customer */
  async syncedGroupsOf(customerId: string): Promise<string[]> {
    const rows: { customer_group_id: string }[] = await this.query(
      `SELECT DISTINCT cgc."customer_group_id" FROM "customer_group_customers" cgc
       JOIN "interest_segment" s ON s."customer_group_id" = cgc."customer_group_id"
       WHERE cgc."customer_id" = $1`,
      [customerId]
    )
    return rows.map((r) => r.customer_group_id)
  },

  /**
   * Deletes the customer's events and the visitor ids' anonymous ones; another
   * customer's events sent with one of these visitor ids (a shared device) stay
   * theirs, without it.
   * @return how many events were deleted
   */
  async deleteEvents(customerId: string, visitorIds: string[]): Promise<number> {
    const [, deleted]: Affected = await this.query(
      `DELETE FROM "interest_event" WHERE "customer_id" = $1 OR ("customer_id" IS NULL AND "visitor_id" = ANY($2))`,
      [customerId, visitorIds]
    )
    await this.query(`UPDATE "interest_event" SET "visitor_id" = NULL, "updated_at" = now() WHERE "visitor_id" = ANY($1)`, [visitorIds])
    return deleted
  },

  /** @return how many profiles of these subjects were deleted */
  async deleteProfiles(subjects: string[]): Promise<number> {
    const [, deleted]: Affected = await this.query(`DELETE FROM "interest_profile" WHERE "subject_id" = ANY($1)`, [subjects])
    return deleted
  },

  /** @return how many precomputed lists of these subjects were deleted */
  async deleteRecommendations(subjects: string[]): Promise<number> {
    const [, deleted]: Affected = await this.query(`DELETE FROM "interest_recommendation" WHERE "subject_id" = ANY($1)`, [subjects])
    return deleted
  },

  /** @return how many impressions served to the customer or the visitor ids were deleted */
  async deleteImpressions(customerId: string, visitorIds: string[]): Promise<number> {
    const [, deleted]: Affected = await this.query(
      `DELETE FROM "interest_impression" WHERE "customer_id" = $1 OR "visitor_id" = ANY($2)`,
      [customerId, visitorIds]
    )
    return deleted
  },

  /** Deletes the customer's visitor links and those of the visitor ids. */
  async deleteVisitorLinks(customerId: string, visitorIds: string[]): Promise<void> {
    await this.query(`DELETE FROM "interest_visitor_link" WHERE "customer_id" = $1 OR "visitor_id" = ANY($2)`, [customerId, visitorIds])
  },
})

export default InterestErasureRepository
