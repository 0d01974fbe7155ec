/**
 * Sample-ratio mismatch: the shoppers counted in each arm should follow the
 * configured shares. When they do not (a redirect that loses one arm's
 * shoppers, a bot hitting one arm, a bug in exposure logging), every metric of
 * the experiment is biased, however small its interval. Pearson's chi-square
 * goodness-of-fit test over the arms' shopper counts:
 *   chi2 = sum_k (observed_k - expected_k)^2 / expected_k,  expected_k = n * share_k
 * with k - 1 degrees of freedom. A p-value under 0.001 is a warning: with
 * correct logging it happens once in a thousand experiments.
 */

/** The p-value under which the split is reported as mismatched. */
export const SRM_P_THRESHOLD = 0.001

export interface SrmResult {
  chi2: number
  degrees_of_freedom: number
  p_value: number
  /** p_value < SRM_P_THRESHOLD */
  mismatch: boolean
  /** Observed share of each arm, in the order given (0 without shoppers). */
  observed_shares: number[]
}

/**
 * @param counts - shoppers per arm
 * @param shares - configured shares, same order, summing to 1
 * @return the test; p = 1 and no mismatch without shoppers
 */
export function srmTest(counts: number[], shares: number[]): SrmResult {
  if (counts.length !== shares.length || counts.length < 2) throw new Error("srmTest needs one count per arm, and two arms or more.")
  const n = counts.reduce((a, b) => a + b, 0)
  const observed = counts.map((c) => (n ? c / n : 0))
  const df = counts.length - 1
  if (n === 0) return { chi2: 0, degrees_of_freedom: df, p_value: 1, mismatch: false, observed_shares: observed }
  let chi2 = 0
  counts.forEach((c, k) => {
    const expected = n * shares[k]
    chi2 += ((c - expected) * (c - expected)) / expected
  })
  const p = chiSquareSurvival(chi2, df)
  return { chi2, degrees_of_freedom: df, p_value: p, mismatch: p < SRM_P_THRESHOLD, observed_shares: observed }
}

/**
 * P(X > x) for X ~ chi-square with `df` degrees of freedom: the regularised
 * upper incomplete gamma function Q(df/2, x/2) (Numerical Recipes 6.2: the
 * series for x < a + 1, the continued fraction above).
 */
export function chiSquareSurvival(x: number, df: number): number {
  if (x <= 0) return 1
  const a = df / 2
  const z = x / 2
  return z < a + 1 ? 1 - lowerSeries(a, z) : upperFraction(a, z)
}

const EPS = 1e-14
const MAX_ITERATIONS = 1000

function lowerSeries(a: number, x: number): number {
  let term = 1 / a
  let sum = term
  for (let n = 1; n < MAX_ITERATIONS; n++) {
    term *= x / (a + n)
    sum += term
    if (Math.abs(term) < Math.abs(sum) * EPS) break
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a))
}

function upperFraction(a: number, x: number): number {
  // Lentz's method for the continued fraction of Q(a, x).
  const tiny = 1e-300
  let b = x + 1 - a
  let c = 1 / tiny
  let d = 1 / b
  let h = d
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a)
    b += 2
    d = an * d + b
    if (Math.abs(d) < tiny) d = tiny
    c = b + an / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    const delta = d * c
    h *= delta
    if (Math.abs(delta - 1) < EPS) break
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms: about 15 digits). */
export function logGamma(x: number): number {
  const g = 7
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ]
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x)
  x -= 1
  let s = c[0]
  for (let i = 1; i < g + 2; i++) s += c[i] / (x + i)
  const t = x + g + 0.5
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(s)
}
