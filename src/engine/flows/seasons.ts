/**
 * Seasonal index per category: how much of its usual share of interest a
 * category holds in each slot of a yearly (month of the year) or weekly (day of
 * the week) cycle,
 *   index(c, s) = share(c | periods in slot s) / share(c | all periods)
 * with the shares of shares.ts (every active customer has the same say). Each
 * slot's share is pulled towards the category's overall share by
 * `priorCustomers` customers' worth of evidence, so a slot seen by a handful of
 * customers stays near 1 instead of swinging on them. 1 is an ordinary slot, 2
 * twice the usual interest. A cycle the data does not cover `minCycles` times
 * has no index (null): one December is an anecdote, not a season.
 */
import { PeriodUnit, periodStart } from "../data/periods"
import { getDefinedOptions } from "../util/options"
import { ActivePeriod } from "./periods"
import { interestShares } from "./shares"

export const SEASON_CYCLES = ["month", "weekday"] as const
export type SeasonCycle = (typeof SEASON_CYCLES)[number]

export const CYCLE_SLOTS: Record<SeasonCycle, number> = { month: 12, weekday: 7 }

/** Length of one cycle in days: how long the data must span to see each slot once. */
const CYCLE_DAYS: Record<SeasonCycle, number> = { month: 365, weekday: 7 }

const DAY_MS = 86_400_000

export interface SeasonOptions {
  /**
   * Customers' worth of the overall share added to every slot: below that many
   * customers a slot's own share barely moves its index. @defaultValue 20
   */
  priorCustomers: number
  /** Times the data must span the cycle (a year, a week) for an index. @defaultValue 1 */
  minCycles: number
}

export const DEFAULT_SEASON_OPTIONS: SeasonOptions = { priorCustomers: 20, minCycles: 1 }

export interface CategorySeason {
  category: number
  /** Index per slot (January first, or Monday first); 1 in a slot without customers. */
  index: number[]
  /** Share of interest over all periods. */
  mean: number
}

export interface SeasonalIndex {
  cycle: SeasonCycle
  /** Customers active per slot, summed over the periods in it. */
  customers: number[]
  /** Every category with any interest, most interest first. */
  categories: CategorySeason[]
  /** First and last period (in the unit given) with customers. */
  first: number
  last: number
}

/** The slot of the cycle period `p` falls in: month of the year (0 = January) or day of the week (0 = Monday). */
export function cycleSlot(p: number, unit: PeriodUnit, cycle: SeasonCycle): number {
  const d = new Date(periodStart(p, unit))
  return cycle === "month" ? d.getUTCMonth() : (d.getUTCDay() + 6) % 7
}

/** Whether a cycle can be read from periods of `unit`: days of the week need day periods. */
export function cycleFits(unit: PeriodUnit, cycle: SeasonCycle): boolean {
  return cycle === "month" || unit === "day"
}

/** Days from the start of the first period to the end of the last. */
export function spanDays(first: number, last: number, unit: PeriodUnit): number {
  return (periodStart(last + 1, unit) - periodStart(first, unit)) / DAY_MS
}

/**
 * @param sequences - per customer, their active periods in `unit` (e.g. a model's period profiles)
 * @return the index of every category, or null when the periods do not span the cycle `minCycles` times
 */
export function seasonalIndex(
  sequences: readonly (readonly ActivePeriod[])[],
  unit: PeriodUnit,
  cycle: SeasonCycle,
  options: Partial<SeasonOptions> = {}
): SeasonalIndex | null {
  const o = getDefinedOptions(DEFAULT_SEASON_OPTIONS, options)
  if (!(o.priorCustomers >= 0)) throw new Error(`priorCustomers must be >= 0, got ${o.priorCustomers}.`)
  if (!cycleFits(unit, cycle)) return null
  let first = Infinity
  let last = -Infinity
  const categories = new Set<number>()
  for (const seq of sequences) {
    for (const p of seq) {
      if (p.vector.size === 0) continue
      if (p.period < first) first = p.period
      if (p.period > last) last = p.period
      for (const c of p.vector.keys()) categories.add(c)
    }
  }
  if (!Number.isFinite(first) || spanDays(first, last, unit) < CYCLE_DAYS[cycle] * o.minCycles) return null
  const shares = interestShares(sequences as ActivePeriod[][], { first, last }, { top: Math.max(1, categories.size) })
  const slots = CYCLE_SLOTS[cycle]
  const slotOf = shares.periods.map((p) => cycleSlot(p, unit, cycle))
  const customers = new Array<number>(slots).fill(0)
  shares.periods.forEach((_, t) => (customers[slotOf[t]] += shares.customers[t]))
  const totalCustomers = customers.reduce((s, n) => s + n, 0)
  const out: CategorySeason[] = shares.categories.map((c) => {
    // Customer-weighted: a period's share counts as many times as it had customers.
    const mass = new Array<number>(slots).fill(0)
    c.shares.forEach((x, t) => (mass[slotOf[t]] += x * shares.customers[t]))
    const overall = totalCustomers > 0 ? mass.reduce((s, m) => s + m, 0) / totalCustomers : 0
    const index = mass.map((m, s) => {
      if (!(overall > 0) || customers[s] === 0) return 1
      return (m + o.priorCustomers * overall) / (customers[s] + o.priorCustomers) / overall
    })
    return { category: c.category, index, mean: overall }
  })
  return { cycle, customers, categories: out, first, last }
}
