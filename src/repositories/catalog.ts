import { dataSource } from "@medusajs/medusa/dist/loaders/database"
import { Product } from "@medusajs/medusa"
import { PRICE_LIST_SIGNATURE } from "./sql/price-list-signature"

/** What the plugin reads of Medusa's catalogue: products, variants, sales channels, prices, currencies. */
export const CatalogRepository = dataSource.getRepository(Product).extend({
  /** @return whether a product with this id exists (not deleted), published or not */
  async productExists(productId: string): Promise<boolean> {
    const [row] = await this.query(`SELECT 1 FROM product WHERE id = $1 AND deleted_at IS NULL`, [productId])
    return !!row
  },

  /** @return the subset of these ids that are existing, not deleted products */
  async existingProductIds(productIds: string[]): Promise<Set<string>> {
    if (!productIds.length) return new Set()
    const rows: { id: string }[] = await this.query(`SELECT "id" FROM "product" WHERE "id" = ANY($1) AND "deleted_at" IS NULL`, [productIds])
    return new Set(rows.map((r) => r.id))
  },

  /** @return a product's id and title, unless it does not exist or is deleted */
  async productTitle(productId: string): Promise<{ id: string; title: string } | null> {
    const [row]: { id: string; title: string }[] = await this.query(
      `SELECT "id", "title" FROM "product" WHERE "id" = $1 AND "deleted_at" IS NULL`,
      [productId]
    )
    return row ?? null
  },

  /** @return the product of each of these ids that is an existing, not deleted variant */
  async productsOfVariants(variantIds: string[]): Promise<Map<string, string>> {
    if (!variantIds.length) return new Map()
    const rows: { id: string; product_id: string }[] = await this.query(
      `SELECT "id", "product_id" FROM "product_variant" WHERE "id" = ANY($1) AND "deleted_at" IS NULL`,
      [variantIds]
    )
    return new Map(rows.map((r) => [r.id, r.product_id]))
  },

  /** @return the published products of a sales channel (of the whole shop without one), by id */
  async publishedProductIds(channelId: string | null): Promise<string[]> {
    const rows: { id: string }[] = channelId
      ? await this.query(
          `SELECT p.id FROM product p JOIN product_sales_channel psc ON psc.product_id = p.id
           WHERE psc.sales_channel_id = $1 AND p.status = 'published' AND p.deleted_at IS NULL ORDER BY p.id`,
          [channelId]
        )
      : await this.query(`SELECT id FROM product WHERE status = 'published' AND deleted_at IS NULL ORDER BY id`)
    return rows.map((r) => r.id)
  },

  /** @return the lower-case codes of every currency Medusa knows */
  async currencyCodes(): Promise<Set<string>> {
    const rows: { code: string }[] = await this.query(`SELECT code FROM currency`)
    return new Set(rows.map((r) => r.code.toLowerCase()))
  },

  /** @return the price lists' signature as the database has it now (sql/price-list-signature.ts) */
  async priceListSignature(): Promise<string> {
    const [row] = await this.query(`SELECT ${PRICE_LIST_SIGNATURE} AS signature`)
    return row.signature
  },

  /** @return whether the customer is in a customer group that an active price list is limited to */
  async hasGroupPrices(customerId: string): Promise<boolean> {
    const [row] = await this.query(
      `SELECT 1 FROM customer_group_customers cgc
       JOIN price_list_customer_groups plcg ON plcg.customer_group_id = cgc.customer_group_id
       JOIN price_list pl ON pl.id = plcg.price_list_id AND pl.deleted_at IS NULL AND pl.status = 'active'
       WHERE cgc.customer_id = $1 LIMIT 1`,
      [customerId]
    )
    return !!row
  },
})

export default CatalogRepository
