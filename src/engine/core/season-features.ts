/**
 * The ranker's seasonal signals: each category's seasonal index (flows/seasons.ts)
 * for the period the stage predicts, i.e. the one after its last. A category that
 * always rises in December gets a high `season` at a cut-off before a December,
 * whatever a customer did last; `weekday` does the same for the day of the week
 * when periods are days. Without a year (a week) of data behind it an index is 1
 * for every category, a constant no tree can split on.
 */
import { PeriodUnit } from "../data/periods"
import { CYCLE_SLOTS, DEFAULT_SEASON_OPTIONS, SeasonCycle, SeasonOptions, cycleSlot, seasonalIndex } from "../flows/seasons"
import { ActivePeriod } from "../flows/periods"

export interface SeasonalFeatureOptions extends SeasonOptions {
  /**
   * Compute the seasonal features. Off by default: on MovieLens (21 years, months)
   * they cost at product level in customer-fold cross-validation on the dev split
   * and added nothing at category level; the Taobao file spans nine days, where
   * they are 1 everywhere (docs/evaluate.md). With it off every index is 1.
   * @defaultValue false
   */
  enabled: boolean
}

export const DEFAULT_SEASONAL_FEATURE_OPTIONS: SeasonalFeatureOptions = { enabled: false, ...DEFAULT_SEASON_OPTIONS }

export interface SeasonFeatures {
  /** Per category: its index in the next period's month of the year (1 = ordinary). */
  month: Float32Array
  /** Per category: its index on the next period's day of the week (day periods; else 1). */
  weekday: Float32Array
}

function cycleFeature(
  customers: readonly { periods: readonly ActivePeriod[] }[],
  unit: PeriodUnit,
  cycle: SeasonCycle,
  next: number,
  nCats: number,
  o: SeasonalFeatureOptions
): Float32Array {
  const out = new Float32Array(nCats).fill(1)
  if (!o.enabled) return out
  const index = seasonalIndex(
    customers.map((c) => c.periods),
    unit,
    cycle,
    o
  )
  if (!index) return out
  const slot = cycleSlot(next, unit, cycle)
  if (slot < 0 || slot >= CYCLE_SLOTS[cycle]) return out
  for (const c of index.categories) if (c.category < nCats) out[c.category] = c.index[slot]
  return out
}

/**
 * @param customers - the stage's customer states (their period profiles in `unit`)
 * @param refPeriod - the stage's last period: the features describe the one after it
 */
export function seasonFeatures(
  customers: readonly { periods: readonly ActivePeriod[] }[],
  unit: PeriodUnit,
  refPeriod: number,
  nCats: number,
  options: SeasonalFeatureOptions
): SeasonFeatures {
  return {
    month: cycleFeature(customers, unit, "month", refPeriod + 1, nCats, options),
    weekday: cycleFeature(customers, unit, "weekday", refPeriod + 1, nCats, options),
  }
}
