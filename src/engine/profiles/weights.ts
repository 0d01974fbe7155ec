import { EVENT_TYPES, EventType } from "../types"

/**
 * How much one event says about interest. A purchase is a stronger signal than a
 * view; a click on a recommendation is weak (we caused it).
 */
export type EventWeights = Record<EventType, number>

export const DEFAULT_EVENT_WEIGHTS: EventWeights = {
  view: 1,
  add_to_cart: 3,
  wishlist: 2,
  purchase: 5,
  click: 0.5,
}

/** Units of one event that count: a bulk order of 50 should not drown everything else. */
export const QUANTITY_CAP = 3

/** Weights indexed by the dataset's event type code. */
export function eventWeightTable(weights: EventWeights): Float64Array {
  const out = new Float64Array(EVENT_TYPES.length)
  EVENT_TYPES.forEach((t, i) => {
    const w = weights[t]
    if (!(w >= 0)) throw new Error(`Event weight for "${t}" must be a non-negative number, got ${w}.`)
    out[i] = w
  })
  return out
}

/**
 * Exponential time decay: weight 0.5 ** (age / halfLife). `age` and `halfLife` in
 * the same unit (periods, or milliseconds). halfLife = Infinity means no decay.
 */
export function decayFactor(age: number, halfLife: number): number {
  if (!Number.isFinite(halfLife)) return 1
  return Math.pow(0.5, Math.max(0, age) / halfLife)
}
