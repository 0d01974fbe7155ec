import type { EntityManager } from "typeorm"

/** What the demo page needs to talk to the store API like a real storefront. */
export interface DemoStorefrontConfig {
  publishableKey: string | null
  regionId: string | null
  currencyCode: string | null
  /** A few registered demo shoppers the page offers to log in as. */
  shoppers: string[]
  /** The password every demo shopper has (src/demo/seed-shop.ts). */
  shopperPassword: string
}

/**
 * Reads the shop's first publishable key (its sales channel decides what the
 * page lists), first region and a few shoppers with an account.
 */
export async function loadDemoConfig(manager: EntityManager, shopperPassword: string): Promise<DemoStorefrontConfig> {
  const [keys, regions, shoppers] = await Promise.all([
    manager.query(`SELECT id FROM publishable_api_key WHERE revoked_at IS NULL ORDER BY created_at LIMIT 1`),
    manager.query(`SELECT id, currency_code FROM region WHERE deleted_at IS NULL ORDER BY created_at LIMIT 1`),
    manager.query(
      `SELECT email FROM customer WHERE has_account AND deleted_at IS NULL ORDER BY created_at, email LIMIT 6`
    ),
  ])
  return {
    publishableKey: keys[0]?.id ?? null,
    regionId: regions[0]?.id ?? null,
    currencyCode: regions[0]?.currency_code ?? null,
    shoppers: (shoppers as { email: string }[]).map((r) => r.email),
    shopperPassword,
  }
}

/** JSON safe to inline in a <script> element (no `</script>` or `<!--` can close it). */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029")
}
