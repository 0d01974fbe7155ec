/**
 * The customers' period profiles that the flow views read, regrouped into the
 * period unit a report asks for and cut to its window. A model keeps periods in
 * its own unit (weeks by default); a coarser report (months) adds up the model's
 * periods that start in the same month. A finer one cannot be made from them.
 */
import { PeriodUnit, periodOf, periodStart } from "../data/periods"
import { SparseVector, addInto } from "../util/vectors"

/** One active period of one customer: summed event weight per category. */
export interface ActivePeriod {
  period: number
  vector: SparseVector
}

const FINENESS: Record<PeriodUnit, number> = { day: 0, week: 1, month: 2 }

/** Whether periods of `unit` can be built from periods of `modelUnit` (same or coarser). */
export function canRegroup(modelUnit: PeriodUnit, unit: PeriodUnit): boolean {
  return FINENESS[unit] >= FINENESS[modelUnit]
}

/** The `unit` period a `modelUnit` period belongs to: the one holding its first day. */
export function regroupedPeriod(p: number, modelUnit: PeriodUnit, unit: PeriodUnit): number {
  return modelUnit === unit ? p : periodOf(periodStart(p, modelUnit), unit)
}

/**
 * @param customers - per customer, their active periods in `modelUnit`, oldest first
 * @param window - first and last period (inclusive) in `unit`
 * @return per customer, their active periods in `unit` inside the window, oldest first
 *   (customers without any are left out); vectors may be the given ones: do not change them
 */
export function regroupPeriods(
  customers: Iterable<readonly ActivePeriod[]>,
  modelUnit: PeriodUnit,
  unit: PeriodUnit,
  window: { first: number; last: number }
): ActivePeriod[][] {
  if (!canRegroup(modelUnit, unit)) {
    throw new Error(`Periods of a ${modelUnit} model cannot be split into ${unit}s.`)
  }
  // Few distinct periods, many customers: each is converted once (months go through Date).
  const converted = new Map<number, number>()
  const regrouped = (p: number): number => {
    let q = converted.get(p)
    if (q === undefined) converted.set(p, (q = regroupedPeriod(p, modelUnit, unit)))
    return q
  }
  const out: ActivePeriod[][] = []
  for (const periods of customers) {
    const seq: ActivePeriod[] = []
    // The model's vectors are shared as they are, and copied only before two are added up.
    let lastOwned = false
    for (const p of periods) {
      const q = regrouped(p.period)
      if (q < window.first || q > window.last) continue
      const last = seq[seq.length - 1]
      if (last && last.period === q) {
        if (!lastOwned) last.vector = new Map(last.vector)
        lastOwned = true
        addInto(last.vector, p.vector)
      } else {
        seq.push({ period: q, vector: p.vector })
        lastOwned = false
      }
    }
    if (seq.length) out.push(seq)
  }
  return out
}
