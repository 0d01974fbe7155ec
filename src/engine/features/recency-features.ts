/**
 * Per-item recency features from a customer's last events: what the baselines do
 * not see. The decayed profile and "repeat" discount by whole periods (days,
 * weeks), so an item touched five minutes before the cut-off and one touched
 * early in the same day weigh the same; a shopper's next visit, though, mostly
 * continues their latest session. Times are relative to the customer's OWN last
 * event (not the shop's clock), so the features mean the same at validation,
 * test and serving time.
 */
import { RecentItem } from "../core/stage"
import { decayFactor } from "../profiles/weights"
import { EVENT_CODE } from "../types"
import { SparseVector } from "../util/vectors"

/** A gap longer than this starts a new session (the usual web-analytics cut-off). */
export const SESSION_GAP_MS = 30 * 60 * 1000


export interface RecencyFeatures {
  /** Items weighted by event weight x 0.5 ** (hours before the last event / half-life). */
  sessionItems: SparseVector
  /** Number of distinct sessions in which each item was touched (repeat visits). */
  itemVisits: SparseVector
  /** Items carted or wishlisted and not bought afterwards (value: recency decay of the last such event). */
  openIntent: SparseVector
  /** Categories of sessionItems (an item's weight split over its categories). */
  sessionCategories: SparseVector
  /** Number of distinct sessions touching each category. */
  categoryVisits: SparseVector
}

/**
 * `halfLifeMs`: how fast an item fades from the current session. The recent
 * events are oldest first (as in CustomerState.recent).
 */
export function recencyFeatures(recent: RecentItem[], productCategories: number[][], halfLifeMs: number): RecencyFeatures {
  const sessionItems: SparseVector = new Map()
  const itemVisits: SparseVector = new Map()
  const openIntent: SparseVector = new Map()
  const sessionCategories: SparseVector = new Map()
  const categoryVisits: SparseVector = new Map()
  if (recent.length === 0) return { sessionItems, itemVisits, openIntent, sessionCategories, categoryVisits }
  const last = recent[recent.length - 1].time
  const lastItemSession = new Map<number, number>()
  const lastCatSession = new Map<number, number>()
  let session = 0
  for (let i = 0; i < recent.length; i++) {
    const r = recent[i]
    if (i > 0 && r.time - recent[i - 1].time > SESSION_GAP_MS) session++
    const decay = decayFactor(last - r.time, halfLifeMs)
    const w = r.weight * decay
    sessionItems.set(r.product, (sessionItems.get(r.product) ?? 0) + w)
    if (lastItemSession.get(r.product) !== session) {
      lastItemSession.set(r.product, session)
      itemVisits.set(r.product, (itemVisits.get(r.product) ?? 0) + 1)
    }
    // A cart or a wishlist shows intent, until a purchase of the item fulfils it.
    if (r.type === EVENT_CODE.add_to_cart || r.type === EVENT_CODE.wishlist) openIntent.set(r.product, decay)
    else if (r.type === EVENT_CODE.purchase) openIntent.delete(r.product)
    const cats = productCategories[r.product] ?? []
    for (const c of cats) {
      sessionCategories.set(c, (sessionCategories.get(c) ?? 0) + w / cats.length)
      if (lastCatSession.get(c) !== session) {
        lastCatSession.set(c, session)
        categoryVisits.set(c, (categoryVisits.get(c) ?? 0) + 1)
      }
    }
  }
  return { sessionItems, itemVisits, openIntent, sessionCategories, categoryVisits }
}
