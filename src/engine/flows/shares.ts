/**
 * Share of interest per category and period: in each period, the mean over the
 * customers active in it of their period profile as a distribution,
 *   share(c, t) = (1 / |A_t|) * sum_{u in A_t} w_u,t(c) / sum_k w_u,t(k)
 * so every active customer has the same say (a script sending thousands of views
 * is one customer, as in the crowd signals of profiles/influence.ts), and the
 * shares of a period with customers sum to 1. The top categories are reported one
 * by one, the rest together as "other".
 */
import { assertPositiveInteger, getDefinedOptions } from "../util/options"
import { sparseSum } from "../util/vectors"
import { ActivePeriod } from "./periods"

export type Trend = "rising" | "falling" | "steady"

export interface ShareOptions {
  /** Categories reported one by one (by mean share over the window). @defaultValue 8 */
  top: number
  /**
   * How much a category's mean share must grow (or shrink) from the first half
   * of the window to the second to be marked rising (falling), in share points:
   * 0.02 is two percentage points of all interest. @defaultValue 0.02
   */
  trendMinChange: number
}

export const DEFAULT_SHARE_OPTIONS: ShareOptions = { top: 8, trendMinChange: 0.02 }

export interface CategoryShares {
  /** Category index (in the model's category list). */
  category: number
  /** Share per period of the window (0 in a period without customers). */
  shares: number[]
  /** Mean share over the periods with customers. */
  mean: number
  /** Mean share in the second half of those periods minus the first half. */
  change: number
  trend: Trend
}

export interface InterestShares {
  /** Every period of the window, oldest first. */
  periods: number[]
  /** Customers active (with a categorised event) per period. */
  customers: number[]
  categories: CategoryShares[]
  /** Share of every other category together, per period. */
  other: number[]
}

/**
 * @param sequences - per customer, their active periods (periods.ts regroupPeriods)
 * @param window - first and last period of the report (inclusive)
 */
export function interestShares(
  sequences: readonly ActivePeriod[][],
  window: { first: number; last: number },
  options: Partial<ShareOptions> = {}
): InterestShares {
  const o = getDefinedOptions(DEFAULT_SHARE_OPTIONS, options)
  assertPositiveInteger(o.top, "top")
  if (!(o.trendMinChange >= 0)) throw new Error(`trendMinChange must be >= 0, got ${o.trendMinChange}.`)
  if (!(window.last >= window.first)) throw new Error(`The window's last period (${window.last}) is before its first (${window.first}).`)
  const n = window.last - window.first + 1
  const periods = Array.from({ length: n }, (_, i) => window.first + i)
  const customers = new Array<number>(n).fill(0)
  const sums = new Map<number, Float64Array>()
  for (const seq of sequences) {
    for (const p of seq) {
      const t = p.period - window.first
      if (t < 0 || t >= n) continue
      const total = sparseSum(p.vector)
      if (!(total > 0)) continue
      customers[t]++
      for (const [c, x] of p.vector) {
        let row = sums.get(c)
        if (!row) sums.set(c, (row = new Float64Array(n)))
        row[t] += x / total
      }
    }
  }
  const withCustomers = periods.map((_, t) => t).filter((t) => customers[t] > 0)
  const half = Math.floor(withCustomers.length / 2)
  const meanOver = (row: ArrayLike<number>, ts: number[]): number => (ts.length ? ts.reduce((s, t) => s + row[t], 0) / ts.length : 0)
  const all: CategoryShares[] = [...sums.entries()].map(([category, row]) => {
    const shares = Array.from(row, (x, t) => (customers[t] ? x / customers[t] : 0))
    // An odd middle period belongs to neither half.
    const change = half ? meanOver(shares, withCustomers.slice(-half)) - meanOver(shares, withCustomers.slice(0, half)) : 0
    const trend: Trend = change >= o.trendMinChange && change > 0 ? "rising" : change <= -o.trendMinChange && change < 0 ? "falling" : "steady"
    return { category, shares, mean: meanOver(shares, withCustomers), change, trend }
  })
  all.sort((a, b) => b.mean - a.mean || a.category - b.category)
  const categories = all.slice(0, o.top)
  const other = periods.map((_, t) => {
    if (!customers[t]) return 0
    const shown = categories.reduce((s, c) => s + c.shares[t], 0)
    return Math.max(0, 1 - shown)
  })
  return { periods, customers, categories, other }
}
