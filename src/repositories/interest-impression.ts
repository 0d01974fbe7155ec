import { dataSource } from "@medusajs/medusa/dist/loaders/database"
import { InterestImpression } from "../models/interest-impression"
import { VISITOR_PREFIX } from "../types/events"
import { optOutKeySql } from "./sql/opt-out-key"

/** A served list as the impression buffer queues it (runtime/impression-buffer.ts). */
export interface Impression {
  id: string
  modelVersionId: string | null
  customerId: string | null
  visitorId: string | null
  placement: string
  contextId: string
  productIds: string[]
  /** The experiment and arm that chose the list (null outside experiments). */
  experimentId: string | null
  arm: string | null
}

/** What attribution needs to know of a served list. */
export interface ServedList {
  /** The logged-in customer it was served to, if any. */
  customer_id: string | null
  /** The anonymous visitor it was served to (set only when no customer was logged in). */
  visitor_id: string | null
  product_ids: string[]
  /** The experiment and arm that chose the list, if any. */
  experiment_id: string | null
  arm: string | null
}

/** Served lists (`interest_impression`). */
export const InterestImpressionRepository = dataSource.getRepository(InterestImpression).extend({
  /**
   * Writes a batch in one multi-row INSERT. An impression queued on this or
   * another instance while its shopper was being erased is not written: the
   * opt-out list (digests) is checked in the statement.
   */
  async insertBatch(batch: Impression[]): Promise<void> {
    if (!batch.length) return
    const params: unknown[] = []
    const rows = batch.map((i) => {
      params.push(i.id, i.modelVersionId, i.customerId, i.visitorId, i.placement, i.contextId, JSON.stringify(i.productIds), i.experimentId, i.arm)
      const b = params.length - 9
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}::jsonb, $${b + 8}, $${b + 9})`
    })
    await this.query(
      `INSERT INTO interest_impression (id, model_version_id, customer_id, visitor_id, placement, context_id, product_ids, experiment_id, arm)
       SELECT * FROM (VALUES ${rows.join(", ")}) AS v(id, model_version_id, customer_id, visitor_id, placement, context_id, product_ids, experiment_id, arm)
       WHERE NOT EXISTS (
         SELECT 1 FROM interest_opt_out o
         WHERE o.subject_id IN (${optOutKeySql("v.customer_id")}, ${optOutKeySql(`'${VISITOR_PREFIX}' || v.visitor_id`)})
       )
       ON CONFLICT (id) DO NOTHING`,
      params
    )
  },

  /** @return the stored lists with these ids, by id */
  async servedLists(ids: string[]): Promise<Map<string, ServedList>> {
    if (!ids.length) return new Map()
    const rows: (ServedList & { id: string })[] = await this.query(
      `SELECT "id", "customer_id", "visitor_id", "product_ids", "experiment_id", "arm" FROM "interest_impression" WHERE "id" = ANY($1)`,
      [ids]
    )
    return new Map(rows.map(({ id, ...list }) => [id, list]))
  },
})

export default InterestImpressionRepository
