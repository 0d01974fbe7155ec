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
})

export default InterestVisitorLinkRepository
