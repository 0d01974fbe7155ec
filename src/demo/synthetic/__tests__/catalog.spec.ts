import { generateCatalog, leafCategories, MAX_LEAF_CATEGORIES } from "../catalog"

describe("generateCatalog", () => {
  const catalog = generateCatalog({ seed: 42 })

  it("is deterministic for a seed and differs between seeds", () => {
    expect(generateCatalog({ seed: 42 })).toEqual(catalog)
    const other = generateCatalog({ seed: 43 })
    expect(other.products.map((p) => p.title)).not.toEqual(catalog.products.map((p) => p.title))
    expect(other.products.map((p) => p.priceCents)).not.toEqual(catalog.products.map((p) => p.priceCents))
  })

  it("has the default counts", () => {
    expect(catalog.products).toHaveLength(300)
    expect(leafCategories(catalog)).toHaveLength(24)
    expect(catalog.categories.length).toBeGreaterThanOrEqual(24 + 5)
    expect(catalog.collections).toHaveLength(6)
    expect(catalog.tags).toHaveLength(12)
    expect(catalog.types).toHaveLength(4)
  })

  it("names categories like a real shop, uniquely, grouped under departments", () => {
    const names = catalog.categories.map((c) => c.name)
    expect(new Set(names).size).toBe(names.length)
    expect(new Set(catalog.categories.map((c) => c.handle)).size).toBe(names.length)
    expect(names).toEqual(expect.arrayContaining(["Home", "Sports", "Outdoor", "Lamps", "Running Shoes", "Coffee"]))
    const byId = new Map(catalog.categories.map((c) => [c.id, c]))
    for (const c of catalog.categories) {
      expect(c.id).toMatch(/^pcat_syn_\d{2}$/)
      if (c.isLeaf) expect(byId.get(c.parentId as string)?.isLeaf).toBe(false)
      else expect(c.parentId).toBeUndefined()
    }
  })

  it("gives every product 1-2 leaf categories, a price, variants and references that exist", () => {
    const leafIds = new Set(leafCategories(catalog).map((c) => c.id))
    const collectionIds = new Set(catalog.collections.map((c) => c.id))
    const tagIds = new Set(catalog.tags.map((t) => t.id))
    const typeIds = new Set(catalog.types.map((t) => t.id))
    for (const p of catalog.products) {
      expect(p.categoryIds.length).toBeGreaterThanOrEqual(1)
      expect(p.categoryIds.length).toBeLessThanOrEqual(2)
      for (const id of p.categoryIds) expect(leafIds.has(id)).toBe(true)
      expect(p.priceCents).toBeGreaterThanOrEqual(500)
      expect(p.priceCents).toBeLessThanOrEqual(50000)
      expect(p.variants.length).toBeGreaterThanOrEqual(1)
      expect(p.priceCents).toBe(Math.min(...p.variants.map((v) => v.priceCents)))
      for (const v of p.variants) expect(v.priceCents).toBeLessThanOrEqual(50000)
      expect(collectionIds.has(p.collectionId as string)).toBe(true)
      for (const t of p.tagIds) expect(tagIds.has(t)).toBe(true)
      expect(typeIds.has(p.typeId)).toBe(true)
      expect(p.title.length).toBeGreaterThan(5)
      expect(p.description).toContain(p.title)
      expect(p.popularity).toBeGreaterThan(0)
    }
    // Every leaf has products.
    for (const id of leafIds) expect(catalog.products.some((p) => p.categoryIds[0] === id)).toBe(true)
  })

  it("keeps titles, handles, ids and SKUs unique", () => {
    const big = generateCatalog({ seed: 1, products: 2000, categories: MAX_LEAF_CATEGORIES })
    for (const key of ["id", "title", "handle"] as const) {
      expect(new Set(big.products.map((p) => p[key])).size).toBe(big.products.length)
    }
    const skus = big.products.flatMap((p) => p.variants.map((v) => v.sku))
    expect(new Set(skus).size).toBe(skus.length)
  })

  it("rejects impossible options with a readable error", () => {
    expect(() => generateCatalog({ seed: 1, categories: 500 })).toThrow(/categories must be an integer between 1 and/)
    expect(() => generateCatalog({ seed: 1, products: 0 })).toThrow(/products/)
    expect(() => generateCatalog({ seed: NaN })).toThrow(/seed/)
  })
})
