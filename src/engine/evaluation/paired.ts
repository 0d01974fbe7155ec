/**
 * Is the model's lead over a baseline more than noise? Both rank the same
 * customers, so the comparison is paired: per customer d_i = model_i - base_i,
 * reported as mean, standard error sd(d) / sqrt(n) and a seeded percentile
 * bootstrap 95% interval over customers.
 */
import { SeededRandom } from "../util/random"

export interface PairedComparison {
  /** Mean of model - baseline. */
  diff: number
  se: number
  /** Percentile bootstrap 95% interval of the mean difference. */
  ci95: [number, number]
  /** Customers where the model scored higher / lower / the same. */
  wins: number
  losses: number
  ties: number
  customers: number
}

/** Score differences within float noise count as ties. */
const TIE_TOLERANCE = 1e-12

export function pairedComparison(model: ArrayLike<number>, base: ArrayLike<number>, seed = 1, resamples = 1000): PairedComparison {
  const n = model.length
  if (n !== base.length) throw new Error("pairedComparison needs two score lists over the same customers.")
  const d = new Float64Array(n)
  let sum = 0
  let wins = 0
  let losses = 0
  for (let i = 0; i < n; i++) {
    d[i] = model[i] - base[i]
    sum += d[i]
    if (d[i] > TIE_TOLERANCE) wins++
    else if (d[i] < -TIE_TOLERANCE) losses++
  }
  const diff = n ? sum / n : 0
  let sq = 0
  for (let i = 0; i < n; i++) sq += (d[i] - diff) ** 2
  const se = n > 1 ? Math.sqrt(sq / (n - 1) / n) : 0
  const rng = new SeededRandom(seed)
  const means = new Float64Array(n > 0 ? resamples : 0)
  for (let r = 0; r < means.length; r++) {
    let s = 0
    for (let i = 0; i < n; i++) s += d[rng.int(n)]
    means[r] = s / n
  }
  means.sort()
  const at = (q: number): number => (means.length ? means[Math.min(means.length - 1, Math.floor(q * means.length))] : 0)
  return { diff, se, ci95: [at(0.025), at(0.975)], wins, losses, ties: n - wins - losses, customers: n }
}
