import fs from "fs"
import path from "path"
import { generateCatalog } from "../synthetic/catalog"
import { buildMedusaSeed, DEFAULT_SEED_REGIONS } from "../medusa-seed"

const catalog = generateCatalog({ seed: 42 })
const seed = buildMedusaSeed(catalog, { adminEmail: "admin@example.com", adminPassword: "supersecret" })

/** Medusa's compiled seed command, when installed: the keys it destructures from the file. */
function seedCommandSource(): string | null {
  const file = path.join(process.cwd(), "node_modules/@medusajs/medusa/dist/commands/seed.js")
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null
}

describe("buildMedusaSeed", () => {
  it("only uses top-level keys Medusa 1.20.8's seed command reads, and fills the required ones", () => {
    const source = seedCommandSource()
    const keys = Object.keys(seed)
    if (source) {
      const parseLine = source.split("\n").find((l) => l.includes("JSON.parse(fs_1.default.readFileSync(resolvedPath")) as string
      const read = [...parseLine.matchAll(/_a\.(\w+)/g)].map((m) => m[1])
      expect(read).toEqual(expect.arrayContaining(["store", "users", "regions", "shipping_options", "categories", "product_collections", "products"]))
      for (const k of keys) expect(read).toContain(k)
      // Seed code paths this builder relies on.
      expect(source).toContain("category_children")
      expect(source).toContain('r.id.startsWith("reg_")')
      expect(source).toContain("regionIds[so.region_id]")
      expect(source).toContain("v.options.map")
    }
    // Iterated without a default by the seed: must be arrays.
    for (const k of ["users", "regions", "shipping_options", "products"] as const) expect(Array.isArray(seed[k])).toBe(true)
  })

  it("sets up a EUR store and region with the manual providers and shipping", () => {
    expect(seed.store).toEqual({ name: "Interest Demo Shop", currencies: ["eur"], default_currency_code: "eur" })
    expect(seed.users).toEqual([expect.objectContaining({ email: "admin@example.com", password: "supersecret" })])
    expect(seed.regions).toHaveLength(1)
    const region = seed.regions[0]
    expect(region).toMatchObject({ currency_code: "eur", payment_providers: ["manual"], fulfillment_providers: ["manual"] })
    expect(region.id.startsWith("reg_")).toBe(false)
    expect(region.countries.length).toBeGreaterThan(3)
    expect(seed.shipping_options.length).toBeGreaterThanOrEqual(1)
    for (const so of seed.shipping_options) {
      expect(so).toMatchObject({ region_id: region.id, provider_id: "manual", data: { id: "manual-fulfillment" }, price_type: "flat_rate" })
      expect(so.amount).toBeGreaterThan(0)
    }
    expect(seed.publishable_api_keys).toEqual([{ title: "Demo storefront" }])
  })

  it("nests categories under their departments with the catalogue's ids", () => {
    const departments = catalog.categories.filter((c) => !c.isLeaf)
    expect(seed.categories.map((c) => c.id)).toEqual(departments.map((c) => c.id))
    const flat = seed.categories.flatMap((c) => [c, ...c.category_children])
    expect(flat).toHaveLength(catalog.categories.length)
    for (const c of seed.categories) {
      expect(c.category_children.length).toBeGreaterThan(0)
      for (const child of c.category_children) {
        expect(catalog.categories.find((x) => x.id === child.id)?.parentId).toBe(c.id)
        expect(child.category_children).toEqual([])
        expect(child).toMatchObject({ is_active: true, is_internal: false })
      }
    }
  })

  it("writes published products with options, priced variants, tags, type, collection and categories", () => {
    expect(seed.products).toHaveLength(catalog.products.length)
    expect(seed.product_collections.map((c) => c.id)).toEqual(catalog.collections.map((c) => c.id))
    const categoryIds = new Set(catalog.categories.map((c) => c.id))
    const collectionIds = new Set(seed.product_collections.map((c) => c.id))
    seed.products.forEach((p, i) => {
      const source = catalog.products[i]
      expect(p).toMatchObject({ id: source.id, title: source.title, handle: source.handle, status: "published" })
      expect(p.options).toHaveLength(1)
      expect(p.variants).toHaveLength(source.variants.length)
      for (const v of p.variants) {
        expect(v.options).toHaveLength(p.options.length)
        expect(v.prices).toEqual([{ currency_code: "eur", amount: expect.any(Number) }])
        expect(v.prices[0].amount).toBeGreaterThanOrEqual(500)
        expect(v.manage_inventory).toBe(false)
        expect(v.inventory_quantity).toBeGreaterThan(0)
      }
      expect(p.categories.length).toBeGreaterThanOrEqual(1)
      for (const c of p.categories) expect(categoryIds.has(c.id)).toBe(true)
      expect(collectionIds.has(p.collection_id as string)).toBe(true)
      expect(p.type?.value).toBeTruthy()
      for (const t of p.tags) expect(t.value).toBeTruthy()
    })
    expect(new Set(seed.products.flatMap((p) => p.variants.map((v) => v.sku))).size).toBe(
      seed.products.reduce((n, p) => n + p.variants.length, 0)
    )
    // Survives a JSON round trip unchanged (it is written to a file).
    expect(JSON.parse(JSON.stringify(seed))).toEqual(seed)
  })

  it("prices every region's currency and refuses overlapping or reg_ regions", () => {
    const two = buildMedusaSeed(catalog, {
      adminEmail: "a@b.c",
      adminPassword: "x",
      regions: [...DEFAULT_SEED_REGIONS, { id: "syn-region-us", name: "US", currencyCode: "usd", countries: ["us"], priceFactor: 1.1 }],
    })
    expect(two.store.currencies).toEqual(["eur", "usd"])
    expect(two.products[0].variants[0].prices.map((p) => p.currency_code)).toEqual(["eur", "usd"])
    expect(two.shipping_options.map((s) => s.region_id)).toContain("syn-region-us")
    expect(() =>
      buildMedusaSeed(catalog, {
        adminEmail: "a@b.c",
        adminPassword: "x",
        regions: [...DEFAULT_SEED_REGIONS, { id: "x", name: "X", currencyCode: "eur", countries: ["de"] }],
      })
    ).toThrow(/country "de" is in two regions/)
    expect(() =>
      buildMedusaSeed(catalog, { adminEmail: "a@b.c", adminPassword: "x", regions: [{ ...DEFAULT_SEED_REGIONS[0], id: "reg_1" }] })
    ).toThrow(/must not start with "reg_"/)
  })

  it("is deterministic", () => {
    expect(buildMedusaSeed(generateCatalog({ seed: 42 }), { adminEmail: "admin@example.com", adminPassword: "supersecret" })).toEqual(seed)
  })
})
