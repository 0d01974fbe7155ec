import { EntityManager } from "typeorm"

/**
 * A transaction-scoped advisory lock on one customer: erasure and identify of
 * the same customer run one after the other (the lock ends with the transaction).
 */
export async function lockCustomer(manager: EntityManager, customerId: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext('interest-customer:' || $1))`, [customerId])
}
