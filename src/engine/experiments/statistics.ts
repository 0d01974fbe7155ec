/**
 * Comparing an arm with the control over shoppers. The unit of analysis is the
 * exposed shopper, never the impression: one shopper sees many lists and their
 * outcomes are correlated, so treating impressions as independent makes
 * intervals far too narrow. Each shopper contributes one value per metric
 * (converted 0/1, revenue, orders), and the arm's metric is the mean over its
 * shoppers.
 *
 * Difference of means (normal approximation, unequal variances):
 *   d = m_t - m_c,  se(d) = sqrt(s_t^2 / n_t + s_c^2 / n_c)
 * Relative uplift by the delta method for a ratio of independent means:
 *   r = m_t / m_c - 1,  se(r) = sqrt(s_t^2 / (n_t m_c^2) + m_t^2 s_c^2 / (n_c m_c^4))
 * 95% interval: estimate ± 1.96 se.
 */

/** The two-sided 95% normal quantile. */
export const Z95 = 1.959963984540054

export interface MeanEstimate {
  /** Shoppers. */
  n: number
  mean: number
  /** Sample variance (n - 1 in the denominator; 0 for n < 2). */
  variance: number
}

export interface Interval {
  estimate: number
  se: number
  low: number
  high: number
}

export interface ArmComparison {
  /** Arm mean minus control mean, with its interval. */
  difference: Interval
  /** Arm mean / control mean - 1, with its interval; null while the control mean is 0. */
  uplift: Interval | null
}

/**
 * @param values - one value per shopper
 * @return their count, mean and sample variance (one pass, Welford)
 */
export function estimateMean(values: ArrayLike<number>): MeanEstimate {
  let mean = 0
  let m2 = 0
  for (let i = 0; i < values.length; i++) {
    const x = values[i]
    const delta = x - mean
    mean += delta / (i + 1)
    m2 += delta * (x - mean)
  }
  const n = values.length
  return { n, mean, variance: n > 1 ? m2 / (n - 1) : 0 }
}

/** A mean with its own 95% interval (normal approximation). */
export function meanInterval(m: MeanEstimate, z = Z95): Interval {
  const se = m.n > 0 ? Math.sqrt(m.variance / m.n) : 0
  return { estimate: m.mean, se, low: m.mean - z * se, high: m.mean + z * se }
}

/**
 * @param control - the control arm's shoppers
 * @param arm - the compared arm's shoppers
 * @param z - the normal quantile of the interval (default 95%)
 * @return difference and relative uplift with their intervals
 */
export function compareArms(control: MeanEstimate, arm: MeanEstimate, z = Z95): ArmComparison {
  const vt = arm.n > 0 ? arm.variance / arm.n : 0
  const vc = control.n > 0 ? control.variance / control.n : 0
  const d = arm.mean - control.mean
  const seD = Math.sqrt(vt + vc)
  const difference = { estimate: d, se: seD, low: d - z * seD, high: d + z * seD }
  if (!(control.mean > 0) || control.n === 0 || arm.n === 0) return { difference, uplift: null }
  const mc = control.mean
  const r = arm.mean / mc - 1
  const seR = Math.sqrt(vt / (mc * mc) + (arm.mean * arm.mean * vc) / (mc * mc * mc * mc))
  return { difference, uplift: { estimate: r, se: seR, low: r - z * seR, high: r + z * seR } }
}

/** Whether an interval excludes zero (the difference is "significant" at its level). */
export function excludesZero(interval: Interval): boolean {
  return interval.low > 0 || interval.high < 0
}
