/**
 * Customer groups ("personas") of the synthetic shop. Each group has a taste (a distribution
 * over leaf categories) and a drift target: part of the group moves its interest towards other
 * categories midway through the simulated period, which is what a sequence model should pick up.
 */
import type { SyntheticCatalog } from "./catalog"
import { leafCategories } from "./catalog"
import { mixSeed } from "./sampling"
import { SeededRandom } from "../../engine/util/random"

interface PersonaSpec {
  name: string
  /** Leaf category name → relative weight. */
  likes: Record<string, number>
  /** Leaf category names part of the group moves to midway. */
  shiftTo: Record<string, number>
  /** Relative group size. */
  size: number
}

/** Ordered so that the first five cover five different departments. */
const PERSONAS: PersonaSpec[] = [
  {
    name: "Home decorators",
    likes: { Lamps: 3, Rugs: 3, "Cushions & Throws": 3, Sofas: 2, "Wall Art": 2, Candles: 1, Tea: 0.5 },
    shiftTo: { "Plants & Planters": 2, "Garden Furniture": 3, Backpacks: 0.5 },
    size: 1.3,
  },
  {
    name: "Runners",
    likes: { "Running Shoes": 4, "Sports Nutrition": 3, Sneakers: 1.5, Yoga: 1, Backpacks: 0.5 },
    shiftTo: { Cycling: 3, "Hiking Boots": 2, Tents: 0.5 },
    size: 1,
  },
  {
    name: "Coffee lovers",
    likes: { Coffee: 5, Tea: 2, Baking: 1.5, Tableware: 1.5, Cookware: 1 },
    shiftTo: { Baking: 3, Cookware: 2, Knives: 1 },
    size: 1.2,
  },
  {
    name: "Outdoor adventurers",
    likes: { Tents: 3, "Hiking Boots": 3, Backpacks: 3, "Sleeping Bags": 2, "Camp Kitchen": 1 },
    shiftTo: { "Garden Furniture": 2, "BBQ & Grills": 2, Cycling: 2 },
    size: 0.9,
  },
  {
    name: "Fashion lovers",
    likes: { Dresses: 3, Handbags: 3, Knitwear: 2, Sneakers: 2, Fragrances: 1 },
    shiftTo: { Skincare: 2, Makeup: 2, Sunglasses: 1 },
    size: 1.1,
  },
  {
    name: "Wellness seekers",
    likes: { Yoga: 3, Skincare: 3, Tea: 2, "Bath & Body": 1, Candles: 1 },
    shiftTo: { "Running Shoes": 2, "Sports Nutrition": 2 },
    size: 0.8,
  },
  {
    name: "Home cooks",
    likes: { Cookware: 3, Knives: 3, Baking: 2, Tableware: 2, "Wine Accessories": 1 },
    shiftTo: { "BBQ & Grills": 3, "Garden Furniture": 1 },
    size: 0.8,
  },
  {
    name: "Beauty fans",
    likes: { Skincare: 3, Makeup: 3, Fragrances: 2, Haircare: 2 },
    shiftTo: { Handbags: 2, Dresses: 1 },
    size: 0.7,
  },
]

export interface SyntheticGroup {
  index: number
  name: string
  /** Taste over the catalogue's leaf categories (same order as `leafIds`), sums to 1. */
  taste: Float64Array
  /** Where the drifting members move to, over the same leaves, sums to 1. */
  driftTarget: Float64Array
  /** Share of all customers in this group (sums to 1 over groups). */
  share: number
  /** Leaf ids, the axis of `taste` and `driftTarget`. */
  leafIds: string[]
  /** The group's favourite leaf category ids, strongest first (for display and tests). */
  topCategoryIds: string[]
}

/** Uniform mass mixed into every taste so each customer sometimes browses anything. */
const BACKGROUND = 0.1

function normalise(v: Float64Array): Float64Array {
  let s = 0
  for (let i = 0; i < v.length; i++) s += v[i]
  for (let i = 0; i < v.length; i++) v[i] = s > 0 ? v[i] / s : 1 / v.length
  return v
}

/** Turns "name → weight" into a vector over leaves; random leaves when none of the names exist. */
function preference(names: Record<string, number>, leafNames: string[], rng: SeededRandom, fallbackCount: number): Float64Array {
  const v = new Float64Array(leafNames.length)
  let hits = 0
  for (const [name, w] of Object.entries(names)) {
    const i = leafNames.indexOf(name)
    if (i >= 0) {
      v[i] += w
      hits++
    }
  }
  if (hits === 0) {
    for (let k = 0; k < fallbackCount; k++) v[rng.int(leafNames.length)] += 1 + rng.next() * 2
  }
  return normalise(v)
}

/**
 * Builds `groups` customer groups for a catalogue. Groups beyond the built-in personas get a
 * random taste over a few categories. Deterministic in (catalogue, groups, seed).
 */
export function buildGroups(catalog: SyntheticCatalog, groups: number, seed: number): SyntheticGroup[] {
  if (!Number.isInteger(groups) || groups < 1) throw new Error(`buildGroups: groups must be a positive integer, got ${groups}.`)
  const leaves = leafCategories(catalog)
  if (!leaves.length) throw new Error("buildGroups: the catalogue has no leaf categories.")
  const leafNames = leaves.map((c) => c.name)
  const leafIds = leaves.map((c) => c.id)
  const rng = SeededRandom.fromState(mixSeed(seed, 2))
  const out: SyntheticGroup[] = []
  for (let g = 0; g < groups; g++) {
    const spec: PersonaSpec = PERSONAS[g] ?? { name: `Group ${g + 1}`, likes: {}, shiftTo: {}, size: 0.5 + rng.next() }
    const likes = preference(spec.likes, leafNames, rng, 4)
    const taste = new Float64Array(leafNames.length)
    for (let i = 0; i < taste.length; i++) taste[i] = (1 - BACKGROUND) * likes[i] + BACKGROUND / taste.length
    const driftTarget = preference(spec.shiftTo, leafNames, rng, 2)
    const order = Array.from(taste.keys()).sort((a, b) => taste[b] - taste[a] || a - b)
    out.push({
      index: g,
      name: spec.name,
      taste,
      driftTarget,
      share: spec.size,
      leafIds,
      topCategoryIds: order.slice(0, 3).map((i) => leafIds[i]),
    })
  }
  const total = out.reduce((s, g) => s + g.share, 0)
  for (const g of out) g.share /= total
  return out
}
