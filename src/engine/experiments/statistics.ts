/**
 * Comparing an arm with the control over shoppers. The unit of analysis is the
 * exposed shopper, never the impression: one shopper sees many lists and their
 * outcomes are correlated, so treating impressions as independent makes
 * intervals far too narrow. Each shopper contributes one value per metric
 * (converted 0/1, revenue, orders), and the arm's metric is the mean over its
 * shoppers. Every metric is a mean of non-negative values, and every interval
 * here stays within what such a mean can be.
 *
 * A mean (revenue or orders per shopper), normal approximation, clipped at 0:
 *   m ± z s / sqrt(n), low = max(0, ...)
 * (the mean of non-negative values cannot be negative: clipping only drops
 * impossible values, so the coverage is never lower than the unclipped one).
 *
 * A proportion (conversion), Wilson score interval, within [0, 1] by construction:
 *   (p + z²/2n ± z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)
 *
 * Difference of means (normal approximation, unequal variances):
 *   d = m_t - m_c,  se(d) = sqrt(s_t^2 / n_t + s_c^2 / n_c)
 *
 * Relative uplift r = m_t / m_c - 1, on the log scale (delta method for the log
 * of a mean, the two arms independent):
 *   L = ln(m_t / m_c),  se(L) = sqrt(s_t^2 / (n_t m_t^2) + s_c^2 / (n_c m_c^2))
 *   interval: exp(L ± z se(L)) - 1
 * The log ratio's sampling distribution is far closer to normal than the
 * ratio's (which is skewed right), and the interval can never fall below
 * -100%: an arm cannot sell less than nothing.
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
  /** Standard error of the estimate (for the uplift: (1 + r) se(L), the delta method back on the ratio scale). */
  se: number
  low: number
  high: number
}

export interface ArmComparison {
  /** Arm mean minus control mean, with its interval. */
  difference: Interval
  /** Arm mean / control mean - 1, with its log-scale interval; null while either mean is 0 (no ratio to take the log of). */
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

/** The mean of non-negative values with its 95% interval (normal approximation, the low end clipped at 0). */
export function meanInterval(m: MeanEstimate, z = Z95): Interval {
  const se = m.n > 0 ? Math.sqrt(m.variance / m.n) : 0
  return { estimate: m.mean, se, low: Math.max(0, m.mean - z * se), high: m.mean + z * se }
}

/**
 * @param m - a proportion as the mean of 0/1 values
 * @return the proportion with its Wilson score interval (within [0, 1]; [0, 1] without shoppers)
 */
export function proportionInterval(m: MeanEstimate, z = Z95): Interval {
  const { n, mean: p } = m
  if (n === 0) return { estimate: 0, se: 0, low: 0, high: 1 }
  const z2n = (z * z) / n
  const centre = (p + z2n / 2) / (1 + z2n)
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + z2n)
  return { estimate: p, se: Math.sqrt((p * (1 - p)) / n), low: Math.max(0, centre - half), high: Math.min(1, centre + half) }
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
  if (!(control.mean > 0) || !(arm.mean > 0) || control.n === 0 || arm.n === 0) return { difference, uplift: null }
  const ratio = arm.mean / control.mean
  const seL = Math.sqrt(vt / (arm.mean * arm.mean) + vc / (control.mean * control.mean))
  const log = Math.log(ratio)
  return {
    difference,
    uplift: { estimate: ratio - 1, se: ratio * seL, low: Math.exp(log - z * seL) - 1, high: Math.exp(log + z * seL) - 1 },
  }
}

/** Whether an interval excludes zero (the difference is "significant" at its level). */
export function excludesZero(interval: Interval): boolean {
  return interval.low > 0 || interval.high < 0
}
