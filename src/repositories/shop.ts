import { dataSource } from "@medusajs/medusa/dist/loaders/database"
import { Customer } from "@medusajs/medusa"

/** A customer as the admin's insights name them. */
export interface CustomerName {
  id: string
  email: string
  first_name: string | null
  last_name: string | null
}

/** What the demo page needs of the shop to talk to the store API like a real storefront. */
export interface DemoShop {
  publishableKey: string | null
  regionId: string | null
  currencyCode: string | null
  /** Emails of a few shoppers with an account. */
  shoppers: string[]
}

/** What the plugin reads of Medusa's own shop tables besides the catalogue: customers, regions, keys. */
export const ShopRepository = dataSource.getRepository(Customer).extend({
  /** @return the customer, unless it does not exist or is deleted */
  async customer(customerId: string): Promise<CustomerName | null> {
    const [row]: CustomerName[] = await this.query(
      `SELECT "id", "email", "first_name", "last_name" FROM "customer" WHERE "id" = $1 AND "deleted_at" IS NULL`,
      [customerId]
    )
    return row ?? null
  },

  /** @return whether the id is a customer's, soft-deleted ones included */
  async wasCustomer(customerId: string): Promise<boolean> {
    const [row] = await this.query(`SELECT 1 FROM "customer" WHERE "id" = $1`, [customerId])
    return !!row
  },

  /** The shop's first publishable key and region, and a few shoppers with an account. */
  async demoShop(): Promise<DemoShop> {
    const [keys, regions, shoppers]: [{ id: string }[], { id: string; currency_code: string }[], { email: string }[]] = await Promise.all([
      this.query(`SELECT id FROM publishable_api_key WHERE revoked_at IS NULL ORDER BY created_at LIMIT 1`),
      this.query(`SELECT id, currency_code FROM region WHERE deleted_at IS NULL ORDER BY created_at LIMIT 1`),
      this.query(`SELECT email FROM customer WHERE has_account AND deleted_at IS NULL ORDER BY created_at, email LIMIT 6`),
    ])
    return {
      publishableKey: keys[0]?.id ?? null,
      regionId: regions[0]?.id ?? null,
      currencyCode: regions[0]?.currency_code ?? null,
      shoppers: shoppers.map((r) => r.email),
    }
  },
})

export default ShopRepository
