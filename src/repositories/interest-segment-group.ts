import { dataSource } from "@medusajs/medusa/dist/loaders/database"
import { CustomerGroup } from "@medusajs/medusa"

/**
 * The Medusa customer groups segments are synced to, as the sync reads them
 * (changes go through Medusa's CustomerGroupService, so its rules apply).
 */
export const InterestSegmentGroupRepository = dataSource.getRepository(CustomerGroup).extend({
  /** @return the customers in a group */
  async customerIds(groupId: string): Promise<string[]> {
    const rows: { customer_id: string }[] = await this.query(
      `SELECT "customer_id" FROM "customer_group_customers" WHERE "customer_group_id" = $1`,
      [groupId]
    )
    return rows.map((r) => r.customer_id)
  },

  /** @return the live groups with exactly this name (names are unique among live groups) */
  async liveIdsNamed(name: string): Promise<string[]> {
    const rows: { id: string }[] = await this.query(`SELECT "id" FROM "customer_group" WHERE "name" = $1 AND "deleted_at" IS NULL`, [
      name,
    ])
    return rows.map((r) => r.id)
  },
})

export default InterestSegmentGroupRepository
