/**
 * Popularity: decayed, event-weighted counts per product and per category.
 * Recent activity counts more (half-life in periods), so "popular" means
 * "popular lately", which is also what the trending placement shows.
 */
import { decayFactor } from "../profiles/weights"

export interface Popularity {
  /** Decayed weight per product index. */
  product: Float64Array
  /** Decayed weight per category index (a product's weight split over its categories). */
  category: Float64Array
  /** Sum over each category's products of product weight (for within-category shares). */
  categoryMass: Float64Array
}

export interface PopularityInput {
  nProducts: number
  productCategories: number[][]
  /** Visits every visible event: (product, weight, period). */
  forEachEvent: (visit: (product: number, weight: number, period: number) => void) => void
  refPeriod: number
  halfLifePeriods: number
}

export function fitPopularity(input: PopularityInput): Popularity {
  const product = new Float64Array(input.nProducts)
  input.forEachEvent((p, w, period) => {
    product[p] += w * decayFactor(input.refPeriod - period, input.halfLifePeriods)
  })
  let nCats = 0
  for (const cats of input.productCategories) for (const c of cats) if (c + 1 > nCats) nCats = c + 1
  const category = new Float64Array(nCats)
  const categoryMass = new Float64Array(nCats)
  for (let p = 0; p < input.nProducts; p++) {
    const cats = input.productCategories[p]
    for (const c of cats) {
      category[c] += product[p] / cats.length
      categoryMass[c] += product[p]
    }
  }
  return { product, category, categoryMass }
}
