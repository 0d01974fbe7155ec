/**
 * Per-customer, per-period interest vectors over one facet (categories by default,
 * or collections, tags, types). One event of weight w on a product with n facet
 * values adds w / n to each, so multi-category products do not count n times.
 */
import { Dataset, Facet } from "../data/dataset"
import { PeriodUnit, periodOf } from "../data/periods"
import { SparseVector, addInto } from "../util/vectors"
import { QUANTITY_CAP, decayFactor } from "./weights"

export interface PeriodProfile {
  period: number
  /** facet index -> summed event weight in this period (not normalised). */
  vector: SparseVector
  /** Number of events in the period. */
  events: number
}

/** Period index of every event, computed once per dataset and unit. */
export function computeEventPeriods(ds: Dataset, unit: PeriodUnit): Int32Array {
  const out = new Int32Array(ds.eventTime.length)
  for (let i = 0; i < out.length; i++) out[i] = periodOf(ds.eventTime[i], unit)
  return out
}

/**
 * Period profiles of customer events in [start, end) (positions in the dataset,
 * already time-sorted), oldest period first.
 */
export function periodProfiles(
  ds: Dataset,
  eventPeriods: Int32Array,
  start: number,
  end: number,
  facet: Facet,
  weightTable: Float64Array
): PeriodProfile[] {
  const out: PeriodProfile[] = []
  const productFacets = ds.facets[facet].productFacets
  let current: PeriodProfile | undefined
  for (let i = start; i < end; i++) {
    const period = eventPeriods[i]
    if (!current || current.period !== period) {
      current = { period, vector: new Map(), events: 0 }
      out.push(current)
    }
    current.events++
    const values = productFacets[ds.eventProduct[i]]
    if (values.length === 0) continue
    const w = (weightTable[ds.eventType[i]] * ds.eventQuantity[i]) / values.length
    const capped = Math.min(w, weightTable[ds.eventType[i]] * QUANTITY_CAP)
    for (const v of values) current.vector.set(v, (current.vector.get(v) ?? 0) + capped)
  }
  return out
}

/**
 * Sum of period vectors weighted by 0.5 ** ((refPeriod - period) / halfLife).
 * Not normalised: callers normalise for the use at hand.
 */
export function decayedProfile(profiles: PeriodProfile[], refPeriod: number, halfLifePeriods: number): SparseVector {
  const out: SparseVector = new Map()
  for (const p of profiles) addInto(out, p.vector, decayFactor(refPeriod - p.period, halfLifePeriods))
  return out
}
