/**
 * The simple baselines every evaluation compares the ranker with. Each is a fixed
 * scorer over one signal, with popularity (scaled down 1000x) ordering what the
 * signal does not know, so a baseline always returns a full list.
 */
import { Stage } from "../core/stage"
import { CustomerSignals } from "./signals"
import { interestTerm } from "./interest-term"

export const BASELINES = ["popularity", "repeat", "markov", "item_knn"] as const
export type Baseline = (typeof BASELINES)[number]

const FALLBACK = 1e-3
/** Popularity as the last tie-breaker: items no signal knows about are ordered by it. */
const TIE_BREAK = 1e-9

/** Category scores of a baseline over the popular categories and every category a signal knows. */
export function baselineCategoryScores(stage: Stage, sig: CustomerSignals, b: Baseline): Map<number, number> {
  const pop = stage.popularityNorm.category
  const keys = new Set<number>(stage.topCategories)
  for (const v of Object.values(sig.category)) for (const k of v.keys()) keys.add(k)
  const own = b === "repeat" ? sig.category.repeat : b === "markov" ? sig.category.markov : b === "item_knn" ? sig.category.item_knn : undefined
  const out = new Map<number, number>()
  for (const k of keys) out.set(k, (own ? (own.get(k) ?? 0) + FALLBACK * pop[k] : pop[k]) + TIE_BREAK * pop[k])
  return out
}

/**
 * Dense product scores of a baseline. "repeat": the customer's own items first,
 * then products popular in their own categories; "markov": products popular in the
 * categories the chain expects next; "item_knn": co-occurrence neighbours of
 * their recent items.
 */
export function baselineProductScores(
  stage: Stage,
  sig: CustomerSignals,
  b: Baseline,
  categoryScores: Map<number, number>,
  out: Float64Array
): Float64Array {
  const pop = stage.popularityNorm.product
  const n = stage.productIds.length
  if (b === "repeat" || b === "markov") {
    interestTerm(stage, categoryScores, out)
    const wi = b === "repeat" ? FALLBACK : 1
    const wp = b === "repeat" ? FALLBACK * FALLBACK : FALLBACK
    for (let p = 0; p < n; p++) out[p] = wi * out[p] + (wp + TIE_BREAK) * pop[p]
    if (b === "repeat") for (const [p, x] of sig.product.repeat_item) out[p] += x
    return out
  }
  const wp = b === "popularity" ? 1 : FALLBACK
  for (let p = 0; p < n; p++) out[p] = (wp + TIE_BREAK) * pop[p]
  if (b === "item_knn") for (const [p, x] of sig.product.item_knn) out[p] += x
  return out
}
