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
})

export default InterestVisitorLinkRepository
