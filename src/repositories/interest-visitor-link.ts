import { dataSource } from "@medusajs/medusa/dist/loaders/database"
import { InterestVisitorLink } from "../models/interest-visitor-link"

/** Visitor ids identified into customers (`interest_visitor_link`). */
export const InterestVisitorLinkRepository = dataSource.getRepository(InterestVisitorLink).extend({
  /**
   * A transaction-scoped advisory lock on one customer: erasure and identify of
   * the same customer run one after the other (the lock ends with the transaction).
   */
  async lockCustomer(customerId: string): Promise<void> {
    await this.query(`SELECT pg_advisory_xact_lock(hashtext('interest-customer:' || $1))`, [customerId])
  },

  /**
   * The visitor id a customer's arm is hashed from: the first one they identified
   * (interest_visitor_link), so a visitor who logs in keeps the arm they had.
   */
  async firstVisitorOf(customerId: string): Promise<string | null> {
    const [row]: { visitor_id: string }[] = await this.query(
      `SELECT "visitor_id" FROM "interest_visitor_link" WHERE "customer_id" = $1 ORDER BY "linked_at", "visitor_id" LIMIT 1`,
      [customerId]
    )
    return row?.visitor_id ?? null
  },

  /** @return visitor id -> the customer it is identified into, for the linked ones among these */
  async ownersOf(visitorIds: string[]): Promise<Map<string, string>> {
    if (!visitorIds.length) return new Map()
    const rows: { visitor_id: string; customer_id: string }[] = await this.query(
      `SELECT "visitor_id", "customer_id" FROM "interest_visitor_link" WHERE "visitor_id" = ANY($1)`,
      [visitorIds]
    )
    return new Map(rows.map((r) => [r.visitor_id, r.customer_id]))
  },

  /**
   * Links a visitor id to a customer unless it is linked already; a concurrent
   * link of the same visitor id waits for the other to commit.
   * @return the customer the visitor id is linked to now
   */
  async link(visitorId: string, customerId: string): Promise<string | null> {
    await this.query(
      `INSERT INTO "interest_visitor_link" ("visitor_id", "customer_id") VALUES ($1, $2) ON CONFLICT ("visitor_id") DO NOTHING`,
      [visitorId, customerId]
    )
    const [link]: { customer_id: string }[] = await this.query(
      `SELECT "customer_id" FROM "interest_visitor_link" WHERE "visitor_id" = $1`,
      [visitorId]
    )
    return link?.customer_id ?? null
  },
})

export default InterestVisitorLinkRepository
