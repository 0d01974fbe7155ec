/**
 * A seeded, realistic synthetic shop catalogue: departments with leaf categories, collections,
 * tags, types and products with variants and prices. Pure: no I/O, no Medusa.
 *
 * Ids use Medusa's prefixes (`pcat_`, `pcol_`, `ptag_`, `ptyp_`, `prod_`) followed by `syn_`,
 * because Medusa's seed command keeps the ids it is given for categories, collections, new tags
 * and products: events generated for this catalogue then point at the seeded shop's rows.
 */
import type { CatalogProduct } from "../../engine/types"
import { logNormal, mixSeed, weighted } from "./sampling"
import { SeededRandom } from "../../engine/util/random"
import {
  COLLECTION_POOL,
  COLOURS,
  DEPARTMENTS,
  LeafSpec,
  OptionKind,
  Season,
  SERIES,
  TAG_POOL,
  TYPE_POOL,
} from "./taxonomy"

export interface SyntheticCategory {
  id: string
  name: string
  handle: string
  /** Set on leaf categories; departments have none. */
  parentId?: string
  /** True for leaf categories (the ones products are in). */
  isLeaf: boolean
  /** The part of the year the category sells best in. */
  season: Season
  /** Consumables (coffee, skincare...) are bought in larger quantities and re-bought. */
  consumable: boolean
}

export interface SyntheticCollection {
  id: string
  title: string
  handle: string
}

export interface SyntheticTag {
  id: string
  value: string
}

export interface SyntheticType {
  id: string
  value: string
}

export interface SyntheticVariant {
  title: string
  sku: string
  priceCents: number
  /** The value of the product's single option, e.g. "M" or "250 g". */
  optionValue: string
}

export interface SyntheticProduct extends CatalogProduct {
  title: string
  handle: string
  description: string
  /** The cheapest variant's price ("from" price), in cents. */
  priceCents: number
  /** The product's single option title, e.g. "Size". */
  optionTitle: string
  variants: SyntheticVariant[]
  /** 1 or 2 leaf categories; the first is the primary one. */
  categoryIds: string[]
  /** Null only when the catalogue has no collections. */
  collectionId: string | null
  tagIds: string[]
  typeId: string
  /** Relative popularity (> 0): how often shoppers land on it within its category. */
  popularity: number
}

export interface SyntheticCatalog {
  seed: number
  /** Departments first, then each department's leaves, in a stable order. */
  categories: SyntheticCategory[]
  collections: SyntheticCollection[]
  tags: SyntheticTag[]
  types: SyntheticType[]
  products: SyntheticProduct[]
}

export interface GenerateCatalogOptions {
  /** @defaultValue 300 */
  products?: number
  /** Number of leaf categories (departments are added on top). @defaultValue 24 */
  categories?: number
  /** @defaultValue 6 */
  collections?: number
  /** @defaultValue 12 */
  tags?: number
  /** @defaultValue 4 */
  types?: number
  seed: number
}

const defaultCatalogOptions = {
  products: 300,
  categories: 24,
  collections: 6,
  tags: 12,
  types: 4,
}

export const MAX_LEAF_CATEGORIES = DEPARTMENTS.reduce((n, d) => n + d.leaves.length, 0)

export function kebab(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
}

const pad = (n: number, width: number): string => String(n).padStart(width, "0")

function checkCount(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`generateCatalog: ${name} must be an integer between ${min} and ${max}, got ${value}.`)
  }
}

/**
 * Picks `count` leaves round-robin over departments, core leaves first, so the shop stays
 * balanced and the persona categories exist. The choice does not depend on the seed.
 */
function chooseLeaves(count: number): { department: number; leaf: LeafSpec }[] {
  const chosen: { department: number; leaf: LeafSpec }[] = []
  for (let round = 0; chosen.length < count; round++) {
    DEPARTMENTS.forEach((dept, d) => {
      if (chosen.length < count && round < dept.leaves.length) chosen.push({ department: d, leaf: dept.leaves[round] })
    })
  }
  return chosen
}

interface VariantTemplate {
  optionTitle: string
  values: { label: string; factor: number }[]
}

function variantTemplate(kind: OptionKind, rng: SeededRandom): VariantTemplate {
  switch (kind) {
    case "apparel-size": {
      const sizes = ["XS", "S", "M", "L", "XL", "XXL"]
      const from = rng.int(2)
      const count = rng.range(3, 5)
      return { optionTitle: "Size", values: sizes.slice(from, from + count).map((label) => ({ label, factor: 1 })) }
    }
    case "shoe-size": {
      const from = rng.range(36, 40)
      const count = rng.range(4, 7)
      return {
        optionTitle: "Size",
        values: Array.from({ length: count }, (_, i) => ({ label: `EU ${from + i}`, factor: 1 })),
      }
    }
    case "colour": {
      const colours = rng.shuffle([...COLOURS]).slice(0, rng.range(1, 3))
      return { optionTitle: "Colour", values: colours.map((label, i) => ({ label, factor: i === 2 ? 1.1 : 1 })) }
    }
    case "weight":
      return {
        optionTitle: "Weight",
        values: [
          { label: "250 g", factor: 1 },
          { label: "500 g", factor: 1.8 },
          { label: "1 kg", factor: 3.2 },
        ].slice(0, rng.range(2, 3)),
      }
    case "volume":
      return {
        optionTitle: "Size",
        values: [
          { label: "50 ml", factor: 1 },
          { label: "100 ml", factor: 1.7 },
        ],
      }
    case "home-size":
      return {
        optionTitle: "Size",
        values: [
          { label: "Small", factor: 1 },
          { label: "Medium", factor: 1.35 },
          { label: "Large", factor: 1.75 },
        ].slice(0, rng.range(2, 3)),
      }
    case "single":
      return { optionTitle: "Edition", values: [{ label: "Standard", factor: 1 }] }
  }
}

/** Rounds a price in whole units to a shop-like ".99" or ".00" price, in cents, kept in [500, 50000]. */
function shopPrice(units: number, rng: SeededRandom): number {
  const whole = Math.max(5, Math.round(units))
  const cents = rng.chance(0.8) ? whole * 100 - 1 : whole * 100
  return Math.min(50000, Math.max(500, cents))
}

/**
 * Generates a synthetic catalogue. Same options and seed, same catalogue.
 *
 * @example
 * const catalog = generateCatalog({ seed: 42 })
 * catalog.products[0] // { id: "prod_syn_0001", title: "Cedar Oak Desk Lamp", categoryIds: ["pcat_syn_02"], ... }
 */
export function generateCatalog(options: GenerateCatalogOptions): SyntheticCatalog {
  const o = { ...defaultCatalogOptions, ...options }
  if (!Number.isFinite(o.seed)) throw new Error("generateCatalog: seed must be a finite number.")
  checkCount("products", o.products, 1, 100000)
  checkCount("categories", o.categories, 1, MAX_LEAF_CATEGORIES)
  checkCount("collections", o.collections, 0, COLLECTION_POOL.length)
  checkCount("tags", o.tags, 0, TAG_POOL.length)
  checkCount("types", o.types, 1, TYPE_POOL.length)
  const rng = SeededRandom.fromState(mixSeed(o.seed, 1))

  // Categories: each used department, then its chosen leaves.
  const leaves = chooseLeaves(o.categories)
  const categories: SyntheticCategory[] = []
  const leafSpecs = new Map<string, LeafSpec>()
  let catNo = 0
  DEPARTMENTS.forEach((dept, d) => {
    const mine = leaves.filter((l) => l.department === d)
    if (!mine.length) return
    const parentId = `pcat_syn_${pad(++catNo, 2)}`
    categories.push({
      id: parentId,
      name: dept.name,
      handle: kebab(dept.name),
      isLeaf: false,
      season: "none",
      consumable: false,
    })
    for (const { leaf } of mine) {
      const id = `pcat_syn_${pad(++catNo, 2)}`
      categories.push({
        id,
        name: leaf.name,
        handle: kebab(leaf.name),
        parentId,
        isLeaf: true,
        season: leaf.season,
        consumable: leaf.consumable === true,
      })
      leafSpecs.set(id, leaf)
    }
  })
  const leafCategories = categories.filter((c) => c.isLeaf)

  const collections: SyntheticCollection[] = COLLECTION_POOL.slice(0, o.collections).map((c, i) => ({
    id: `pcol_syn_${pad(i + 1, 2)}`,
    title: c.title,
    handle: kebab(c.title),
  }))
  const tags: SyntheticTag[] = TAG_POOL.slice(0, o.tags).map((value, i) => ({ id: `ptag_syn_${pad(i + 1, 2)}`, value }))
  const types: SyntheticType[] = TYPE_POOL.slice(0, o.types).map((value, i) => ({ id: `ptyp_syn_${pad(i + 1, 2)}`, value }))

  // Collection weights per season, so seasonal leaves mostly land in seasonal collections.
  const collectionFor = (season: Season): string | null => {
    if (!collections.length) return null
    const weights = collections.map((_, i) => {
      const s = COLLECTION_POOL[i].season
      return s === "none" ? 1 : s === season ? 4 : 0.3
    })
    return collections[weighted(rng, weights)].id
  }
  // Tag popularity falls off with position (bestseller and new are the commonest).
  const tagWeights = tags.map((_, i) => 1 / (1 + 0.35 * i))

  // Spread products over leaves: every leaf gets at least one, the rest at random (uneven sizes).
  const leafWeights = leafCategories.map(() => 0.5 + rng.next())
  const productLeaf: number[] = []
  for (let i = 0; i < o.products; i++) productLeaf.push(i < leafCategories.length ? i : weighted(rng, leafWeights))
  productLeaf.sort((a, b) => a - b)

  const digits = Math.max(4, String(o.products).length)
  const usedTitles = new Set<string>()
  const products: SyntheticProduct[] = []
  productLeaf.forEach((leafIndex, i) => {
    const leafCat = leafCategories[leafIndex]
    const leaf = leafSpecs.get(leafCat.id) as LeafSpec
    const dept = DEPARTMENTS.find((d) => d.leaves.includes(leaf)) as (typeof DEPARTMENTS)[number]

    // A unique, human title: "<Series> <Adjective> <Noun>", numbered only if the vocabulary runs out.
    let title = ""
    for (let attempt = 0; attempt < 20 && (!title || usedTitles.has(title)); attempt++) {
      title = `${rng.pick(SERIES)} ${rng.pick(dept.adjectives)} ${rng.pick(leaf.nouns)}`
    }
    for (let n = 2; usedTitles.has(title); n++) {
      const stem = title.replace(/ \d+$/, "")
      title = `${stem} ${n}`
    }
    usedTitles.add(title)

    const no = pad(i + 1, digits)
    const base = leaf.price[0] * Math.pow(leaf.price[1] / leaf.price[0], rng.next())
    const template = variantTemplate(leaf.option, rng)
    const variants: SyntheticVariant[] = template.values.map((v) => ({
      title: v.label,
      sku: `SYN-${no}-${kebab(v.label).toUpperCase()}`,
      priceCents: shopPrice(base * v.factor, rng),
      optionValue: v.label,
    }))

    // A second, related leaf now and then (e.g. a trail shoe also listed under Hiking Boots).
    const categoryIds = [leafCat.id]
    const related = leafCategories.filter((c) => leaf.alsoIn?.includes(c.name))
    if (related.length && rng.chance(0.15)) categoryIds.push(rng.pick(related).id)

    const tagIds: string[] = []
    const tagCount = tags.length ? weighted(rng, [0.25, 0.4, 0.25, 0.1]) : 0
    for (let t = 0; t < tagCount; t++) {
      const id = tags[weighted(rng, tagWeights)].id
      if (!tagIds.includes(id)) tagIds.push(id)
    }

    const typeIndex = TYPE_POOL.indexOf(leaf.type)
    const typeId = types[typeIndex >= 0 && typeIndex < types.length ? typeIndex : (leafIndex % types.length)].id

    products.push({
      id: `prod_syn_${no}`,
      title,
      handle: kebab(title),
      description: `${title}. ${leaf.blurb} Part of our ${leaf.name.toLowerCase()} range, ${
        variants.length > 1 ? `available in ${variants.length} ${template.optionTitle.toLowerCase()} options` : "in one edition"
      }.`,
      priceCents: Math.min(...variants.map((v) => v.priceCents)),
      optionTitle: template.optionTitle,
      variants,
      categoryIds,
      collectionId: collectionFor(leaf.season),
      tagIds,
      typeId,
      // Long-tailed popularity: a few hits per category, many rarely seen products.
      popularity: logNormal(rng, 0, 1),
    })
  })

  return { seed: o.seed, categories, collections, tags, types, products }
}

/** The leaf categories of a catalogue, in catalogue order. */
export function leafCategories(catalog: SyntheticCatalog): SyntheticCategory[] {
  return catalog.categories.filter((c) => c.isLeaf)
}
