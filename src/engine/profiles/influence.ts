/**
 * How much one shopper can move what every shopper sees. Popularity, trending,
 * what newcomers engage with, segment products, co-occurrence and Markov
 * transitions are crowd signals: summing raw events would let one client (a
 * script posting thousands of views) decide them for everyone. Each shopper's
 * say is bounded instead:
 *   - per product and period, the event weight they add is capped at `shopperCap`,
 *     however many events they send;
 *   - a customer (an account, or anyone with a purchase in their visible
 *     history) counts `customerWeight` times an anonymous visitor without one:
 *     visitor ids are free. The weights are relative: the crowd's total stays
 *     that of its capped events;
 *   - shoppers without a purchase who send from one source (one client address)
 *     share one shopper's say: new visitor ids are free, addresses are not.
 * Each shopper's own profile is not affected: it only ever ranks for them.
 */
import { Dataset } from "../data/dataset"
import { EVENT_CODE } from "../types"
import { QUANTITY_CAP } from "./weights"

export interface InfluenceOptions {
  /**
   * Most event weight one shopper adds to one product in one period, in the units
   * of the event weights (purchase 5, add-to-cart 3, view 1 by default): a
   * buying journey (two views, an add-to-cart, a purchase: 10) is never capped.
   * 8 capped such journeys, and four fresh views then moved the demo
   * storefront's "for you" less (its browser test failed 2 runs of 5).
   * @defaultValue 12
   */
  shopperCap: number
  /**
   * Weight of a customer (an account, or anyone with a purchase) relative to an
   * anonymous visitor without a purchase. Only the ratio counts (the total is
   * kept), so a shop whose history is all accounts counts as without it.
   * @defaultValue 2
   */
  customerWeight: number
}

export const DEFAULT_INFLUENCE_OPTIONS: InfluenceOptions = { shopperCap: 12, customerWeight: 2 }


export function checkInfluenceOptions(o: InfluenceOptions): void {
  if (!(o.shopperCap > 0)) throw new Error(`influence.shopperCap must be a positive number, got ${o.shopperCap}.`)
  if (!(o.customerWeight >= 1 && Number.isFinite(o.customerWeight))) {
    throw new Error(`influence.customerWeight must be a number >= 1, got ${o.customerWeight}.`)
  }
}

/** Whether events [start, end) hold a purchase. */
export function hasPurchase(ds: Dataset, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (ds.eventType[i] === EVENT_CODE.purchase) return true
  return false
}

export interface CrowdWeights {
  /** Per event: its weight in crowd signals (0 for events not visible). */
  event: Float64Array
  /**
   * Per customer: their weight in the signals built from whole histories
   * (co-occurrence, Markov): `customerWeight` for a customer, else 1; shoppers
   * without a purchase share it with the others first seen at their source.
   */
  shopper: Float64Array
}

/**
 * Every visible event's weight in crowd signals: its own weight (type x quantity,
 * at most 3 units), scaled down with the other events of the same shopper,
 * product and period so that together they add at most `shopperCap`, times
 * `customerWeight` for a customer, and all scaled back to the capped events' total
 * (`shopperCap` is in those units). A customer's events are in time order, so a
 * period is one run.
 */
export function crowdWeights(
  ds: Dataset,
  eventPeriods: Int32Array,
  visibleEnd: Int32Array,
  weightTable: Float64Array,
  o: InfluenceOptions
): CrowdWeights {
  const event = new Float64Array(ds.eventProduct.length)
  const shopper = new Float64Array(ds.customerIds.length)
  const buyer = new Uint8Array(ds.customerIds.length)
  const sums = new Map<number, number>()
  let capped = 0
  let weighted = 0
  for (let c = 0; c < ds.customerIds.length; c++) {
    const start = ds.customerOffsets[c]
    const end = visibleEnd[c]
    buyer[c] = hasPurchase(ds, start, end) ? 1 : 0
    const trust = buyer[c] || !ds.customerAnonymous[c] ? o.customerWeight : 1
    shopper[c] = trust
    let runStart = start
    while (runStart < end) {
      const period = eventPeriods[runStart]
      let runEnd = runStart
      sums.clear()
      for (; runEnd < end && eventPeriods[runEnd] === period; runEnd++) {
        const w = weightTable[ds.eventType[runEnd]] * Math.min(ds.eventQuantity[runEnd], QUANTITY_CAP)
        event[runEnd] = w
        const p = ds.eventProduct[runEnd]
        sums.set(p, (sums.get(p) ?? 0) + w)
      }
      for (let i = runStart; i < runEnd; i++) {
        const sum = sums.get(ds.eventProduct[i]) as number
        event[i] *= sum > o.shopperCap ? o.shopperCap / sum : 1
        capped += event[i]
        event[i] *= trust
        weighted += event[i]
      }
      runStart = runEnd
    }
  }
  // Buyers count more than the others, not more than events do: the crowd's total
  // stays that of its capped events, so the scales that are in event-weight units
  // (the interest term's smoothing) mean the same with or without buyers.
  const scale = weighted > 0 ? capped / weighted : 1
  for (let i = 0; i < event.length; i++) event[i] *= scale
  if (ds.sourceIds.length) {
    shareSourceSay(ds, eventPeriods, visibleEnd, event, buyer, o.shopperCap * scale)
    shareSourceWeight(ds, visibleEnd, buyer, shopper)
  }
  return { event, shopper }
}

/** Scales the events of shoppers without a purchase so that one source adds at most one shopper's say per product and period. */
function shareSourceSay(
  ds: Dataset,
  eventPeriods: Int32Array,
  visibleEnd: Int32Array,
  event: Float64Array,
  buyer: Uint8Array,
  most: number
): void {
  const key = (i: number): string => `${ds.eventSource[i]}|${ds.eventProduct[i]}|${eventPeriods[i]}`
  const totals = new Map<string, number>()
  const each = (visit: (i: number) => void): void => {
    for (let c = 0; c < ds.customerIds.length; c++) {
      if (buyer[c]) continue
      for (let i = ds.customerOffsets[c]; i < visibleEnd[c]; i++) if (ds.eventSource[i] >= 0) visit(i)
    }
  }
  each((i) => totals.set(key(i), (totals.get(key(i)) ?? 0) + event[i]))
  each((i) => {
    const total = totals.get(key(i)) as number
    if (total > most) event[i] *= most / total
  })
}

/** Divides the weight of each shopper without a purchase by the number of such shoppers first seen at their source. */
function shareSourceWeight(ds: Dataset, visibleEnd: Int32Array, buyer: Uint8Array, shopper: Float64Array): void {
  const firstSource = (c: number): number => {
    for (let i = ds.customerOffsets[c]; i < visibleEnd[c]; i++) if (ds.eventSource[i] >= 0) return ds.eventSource[i]
    return -1
  }
  const sources = Int32Array.from({ length: ds.customerIds.length }, (_, c) => (buyer[c] ? -1 : firstSource(c)))
  const sharers = new Int32Array(ds.sourceIds.length)
  for (const src of sources) if (src >= 0) sharers[src]++
  sources.forEach((src, c) => {
    if (src >= 0) shopper[c] /= sharers[src]
  })
}
