import { dataSource } from "@medusajs/medusa/dist/loaders/database"
import { ProductCategory } from "@medusajs/medusa"

/** Human names of the interests the engine works on: Medusa's categories, collections, tags and types. */
export const InterestNameRepository = dataSource.getRepository(ProductCategory).extend({
  /** @return interest id -> its name */
  async interestNames(): Promise<Map<string, string>> {
    const rows: { id: string; name: string }[] = await this.query(
      `SELECT id, name FROM product_category
       UNION ALL SELECT id, title FROM product_collection WHERE deleted_at IS NULL
       UNION ALL SELECT id, value FROM product_tag WHERE deleted_at IS NULL
       UNION ALL SELECT id, value FROM product_type WHERE deleted_at IS NULL`
    )
    return new Map(rows.map((r) => [r.id, r.name]))
  },
})

export default InterestNameRepository
