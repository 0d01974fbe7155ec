/**
 * Builds the JSON file that `medusa seed -f <file>` reads in @medusajs/medusa 1.20.8, from a
 * synthetic catalogue. Pure: imports nothing from Medusa.
 *
 * What the 1.20.8 seed command (dist/commands/seed.js) does with each top-level key, in order:
 * - `store`: `storeService.update(store)`; `currencies` are currency codes, `default_currency_code`
 *   must be one of them (the store starts with "usd" only).
 * - `users` (required array): `userService.create(user, password)`.
 * - `regions` (required array): `regionService.create(region)`; an `id` not starting with "reg_"
 *   is a placeholder that `shipping_options[].region_id` may refer to (the seed maps it).
 * - `shipping_options` (required array): `shippingOptionService.create(so)`, `profile_id` is set to
 *   the default profile by the seed.
 * - `categories` (optional): nested via `category_children`; `productCategoryService.create`
 *   keeps a given `id` (so products can point at it); `rank` is recomputed.
 * - `product_collections` (optional): `productCollectionService.create`, keeps a given `id`.
 * - `products` (required array): `productService.create`; keeps `id`, `collection_id`,
 *   `categories: [{ id }]`, `tags: [{ id, value }]` (new tags keep the id), `type: { value }` (the
 *   type id is generated: only the value is used); `sales_channels` is overwritten with the store's
 *   default channel; then each `variants[]` entry is created with `options[i]` matched to
 *   `options[i]` by index, so every product needs `options` and every variant `options`.
 * - `publishable_api_keys` (optional): created and attached to the default sales channel.
 * - `rule_types` (optional, only with the medusa_v2 flag): not used here.
 * Customers and orders are not seedable: create them through the store API.
 */
import type { SyntheticCatalog, SyntheticProduct } from "./synthetic/catalog"

export interface SeedRegion {
  /** Placeholder id (must not start with "reg_"); shipping options refer to it. */
  id: string
  name: string
  /** Lower-case ISO 4217 code, e.g. "eur". */
  currencyCode: string
  /** Lower-case ISO 3166-1 alpha-2 codes; a country can belong to one region only. */
  countries: string[]
  /** @defaultValue 0 */
  taxRate?: number
  /** Catalogue prices (cents) are multiplied by this for the region's currency. @defaultValue 1 */
  priceFactor?: number
  /** Standard shipping price in the region's currency (cents). @defaultValue 490 */
  shippingAmount?: number
}

export interface BuildMedusaSeedOptions {
  adminEmail: string
  adminPassword: string
  /** @defaultValue DEFAULT_SEED_REGIONS (one EUR region) */
  regions?: SeedRegion[]
  /** @defaultValue "Interest Demo Shop" */
  storeName?: string
  /** Stock per variant. @defaultValue 1000 */
  inventoryQuantity?: number
  /** When false (default), orders never fail for stock. @defaultValue false */
  manageInventory?: boolean
  /** Title of a publishable API key attached to the default sales channel; null for none. @defaultValue "Demo storefront" */
  publishableKeyTitle?: string | null
}

export const DEFAULT_SEED_REGIONS: SeedRegion[] = [
  {
    id: "syn-region-eu",
    name: "Europe",
    currencyCode: "eur",
    countries: ["de", "fr", "it", "es", "nl", "be", "at", "dk", "se", "fi", "ie", "pt"],
    taxRate: 0,
  },
]

/** The manual providers shipped as medusa-payment-manual and medusa-fulfillment-manual. */
export const MANUAL_PROVIDER_ID = "manual"
/** The fulfillment option id medusa-fulfillment-manual offers. */
export const MANUAL_FULFILLMENT_OPTION = "manual-fulfillment"

export interface SeedStore {
  name: string
  currencies: string[]
  default_currency_code: string
}

export interface SeedUser {
  email: string
  password: string
  first_name?: string
  last_name?: string
  role?: "admin" | "member" | "developer"
}

export interface SeedRegionRow {
  id: string
  name: string
  currency_code: string
  tax_rate: number
  payment_providers: string[]
  fulfillment_providers: string[]
  countries: string[]
}

export interface SeedShippingOption {
  name: string
  region_id: string
  provider_id: string
  data: Record<string, unknown>
  price_type: "flat_rate" | "calculated"
  amount: number
  is_return?: boolean
}

export interface SeedCategory {
  id: string
  name: string
  handle: string
  is_active: boolean
  is_internal: boolean
  category_children: SeedCategory[]
}

export interface SeedCollection {
  id: string
  title: string
  handle: string
}

export interface SeedPrice {
  currency_code: string
  amount: number
}

export interface SeedVariant {
  title: string
  sku: string
  prices: SeedPrice[]
  options: { value: string }[]
  inventory_quantity: number
  manage_inventory: boolean
  allow_backorder: boolean
}

export interface SeedProduct {
  id: string
  title: string
  handle: string
  description: string
  status: "published"
  is_giftcard: false
  discountable: true
  options: { title: string }[]
  variants: SeedVariant[]
  tags: { id: string; value: string }[]
  type: { value: string } | null
  collection_id: string | null
  categories: { id: string }[]
  metadata: Record<string, unknown>
}

/** The file `medusa seed -f` reads (only the keys this builder fills). */
export interface MedusaSeedFile {
  store: SeedStore
  users: SeedUser[]
  regions: SeedRegionRow[]
  shipping_options: SeedShippingOption[]
  categories: SeedCategory[]
  product_collections: SeedCollection[]
  products: SeedProduct[]
  publishable_api_keys: { title: string }[]
}

function checkRegions(regions: SeedRegion[]): void {
  if (!regions.length) throw new Error("buildMedusaSeed: at least one region is needed.")
  const countries = new Set<string>()
  for (const r of regions) {
    if (r.id.startsWith("reg_")) {
      throw new Error(`buildMedusaSeed: region id "${r.id}" must not start with "reg_" (the seed only maps placeholder ids).`)
    }
    if (!/^[a-z]{3}$/.test(r.currencyCode)) throw new Error(`buildMedusaSeed: currency "${r.currencyCode}" must be a lower-case ISO code.`)
    for (const c of r.countries) {
      if (countries.has(c)) throw new Error(`buildMedusaSeed: country "${c}" is in two regions; Medusa allows one.`)
      countries.add(c)
    }
  }
}

/** Prices for every currency among the regions (the first region of a currency sets its factor). */
function variantPrices(priceCents: number, regions: SeedRegion[]): SeedPrice[] {
  const seen = new Set<string>()
  const prices: SeedPrice[] = []
  for (const r of regions) {
    if (seen.has(r.currencyCode)) continue
    seen.add(r.currencyCode)
    const factor = r.priceFactor ?? 1
    // Keep the ".99" look after conversion.
    const amount = factor === 1 ? priceCents : Math.max(1, Math.round((priceCents * factor) / 100) * 100 - 1)
    prices.push({ currency_code: r.currencyCode, amount })
  }
  return prices
}

function seedProduct(
  p: SyntheticProduct,
  catalog: SyntheticCatalog,
  regions: SeedRegion[],
  inventoryQuantity: number,
  manageInventory: boolean
): SeedProduct {
  const tagById = new Map(catalog.tags.map((t) => [t.id, t]))
  const type = catalog.types.find((t) => t.id === p.typeId)
  return {
    id: p.id,
    title: p.title,
    handle: p.handle,
    description: p.description,
    status: "published",
    is_giftcard: false,
    discountable: true,
    options: [{ title: p.optionTitle }],
    variants: p.variants.map((v) => ({
      title: v.title,
      sku: v.sku,
      prices: variantPrices(v.priceCents, regions),
      options: [{ value: v.optionValue }],
      inventory_quantity: inventoryQuantity,
      manage_inventory: manageInventory,
      allow_backorder: false,
    })),
    tags: p.tagIds.flatMap((id) => {
      const t = tagById.get(id)
      return t ? [{ id: t.id, value: t.value }] : []
    }),
    type: type ? { value: type.value } : null,
    collection_id: p.collectionId ?? null,
    categories: p.categoryIds.map((id) => ({ id })),
    // The synthetic type id, since Medusa generates its own product type ids.
    metadata: { synthetic: true, synthetic_type_id: p.typeId },
  }
}

/**
 * Builds a `medusa seed -f` file for a synthetic catalogue.
 *
 * @example
 * const seed = buildMedusaSeed(generateCatalog({ seed: 42 }), { adminEmail: "admin@example.com", adminPassword: "supersecret" })
 * fs.writeFileSync("seed.json", JSON.stringify(seed, null, 2))
 */
export function buildMedusaSeed(catalog: SyntheticCatalog, options: BuildMedusaSeedOptions): MedusaSeedFile {
  const regions = options.regions ?? DEFAULT_SEED_REGIONS
  checkRegions(regions)
  if (!options.adminEmail.includes("@")) throw new Error(`buildMedusaSeed: adminEmail "${options.adminEmail}" is not an email.`)
  if (!options.adminPassword) throw new Error("buildMedusaSeed: adminPassword is empty.")
  const inventoryQuantity = options.inventoryQuantity ?? 1000
  const manageInventory = options.manageInventory ?? false
  const currencies = [...new Set(regions.map((r) => r.currencyCode))]

  const children = (parentId: string | undefined): SeedCategory[] =>
    catalog.categories
      .filter((c) => c.parentId === parentId)
      .map((c) => ({
        id: c.id,
        name: c.name,
        handle: c.handle,
        is_active: true,
        is_internal: false,
        category_children: children(c.id),
      }))

  const keyTitle = options.publishableKeyTitle === undefined ? "Demo storefront" : options.publishableKeyTitle

  return {
    store: {
      name: options.storeName ?? "Interest Demo Shop",
      currencies,
      default_currency_code: currencies[0],
    },
    users: [{ email: options.adminEmail, password: options.adminPassword, first_name: "Demo", last_name: "Admin", role: "admin" }],
    regions: regions.map((r) => ({
      id: r.id,
      name: r.name,
      currency_code: r.currencyCode,
      tax_rate: r.taxRate ?? 0,
      payment_providers: [MANUAL_PROVIDER_ID],
      fulfillment_providers: [MANUAL_PROVIDER_ID],
      countries: r.countries,
    })),
    shipping_options: regions.flatMap((r) => [
      {
        name: "Standard shipping",
        region_id: r.id,
        provider_id: MANUAL_PROVIDER_ID,
        data: { id: MANUAL_FULFILLMENT_OPTION },
        price_type: "flat_rate" as const,
        amount: r.shippingAmount ?? 490,
      },
      {
        name: "Express shipping",
        region_id: r.id,
        provider_id: MANUAL_PROVIDER_ID,
        data: { id: MANUAL_FULFILLMENT_OPTION },
        price_type: "flat_rate" as const,
        amount: (r.shippingAmount ?? 490) * 2 + 500,
      },
    ]),
    categories: children(undefined),
    product_collections: catalog.collections.map((c) => ({ id: c.id, title: c.title, handle: c.handle })),
    products: catalog.products.map((p) => seedProduct(p, catalog, regions, inventoryQuantity, manageInventory)),
    publishable_api_keys: keyTitle ? [{ title: keyTitle }] : [],
  }
}
