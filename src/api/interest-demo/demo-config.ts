import type { DemoShop, ShopRepository } from "../../repositories/shop"

/** What the demo page needs to talk to the store API like a real storefront. */
export interface DemoStorefrontConfig extends DemoShop {
  /** The password every demo shopper has (src/demo/seed-shop.ts); the page offers to log in as `shoppers`. */
  shopperPassword: string
}

/**
 * The shop's first publishable key (its sales channel decides what the page
 * lists), first region and a few shoppers with an account.
 */
export async function loadDemoConfig(shop: typeof ShopRepository, shopperPassword: string): Promise<DemoStorefrontConfig> {
  return { ...(await shop.demoShop()), shopperPassword }
}

/** JSON safe to inline in a <script> element (no `</script>` or `<!--` can close it). */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029")
}
