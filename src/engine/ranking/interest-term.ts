/**
 * "Pick a category the customer is into, then a product popular in it":
 *   interest(p) = sum over p's categories c of I(c) * share(p | c), with
 *   share(p | c) = (pop(p) + s) / (mass(c) + s * size(c))   (smoothed within-category popularity)
 * Dense over the full catalogue, scaled to max 1. It carries category-level
 * interest down to products, for the ranker's candidates and features and for
 * the category baselines' product lists.
 */
import { Stage } from "../core/stage"

const SMOOTH = 0.1

export function interestTerm(stage: Stage, categoryScores: Map<number, number>, out?: Float64Array): Float64Array {
  const n = stage.productIds.length
  const res = out ?? new Float64Array(n)
  res.fill(0)
  const pop = stage.popularity.product
  const mass = stage.popularity.categoryMass
  let m = 0
  for (let p = 0; p < n; p++) {
    const cats = stage.productCategories[p]
    let s = 0
    for (let j = 0; j < cats.length; j++) {
      const i = categoryScores.get(cats[j])
      if (i) s += (i * (pop[p] + SMOOTH)) / (mass[cats[j]] + SMOOTH * stage.categorySize[cats[j]])
    }
    res[p] = s
    if (s > m) m = s
  }
  if (m > 0) for (let p = 0; p < n; p++) res[p] /= m
  return res
}
