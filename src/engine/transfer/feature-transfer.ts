/**
 * Feature-based transfer for customers with little history (new, anonymous, new
 * to a channel): borrow an interest vector from the nearest segment and the most
 * similar customers, and blend it with the customer's own in proportion to how
 * much history they have:
 *   alpha    = n / (n + priorEvents)                 (n = the customer's events)
 *   borrowed = segmentShare * segment + (1 - segmentShare) * sum_i sim_i * neighbour_i / sum_i sim_i
 *   transfer = alpha * own + (1 - alpha) * borrowed  (all as distributions)
 */
import { getDefinedOptions } from "../util/options"
import { SparseVector, addInto, cosine, normalizeL1 } from "../util/vectors"

export interface TransferOptions {
  /** Events at which own history and borrowed interests weigh the same. @defaultValue 8 */
  priorEvents: number
  /** Share of the segment centroid in the borrowed vector (the rest: nearest customers). @defaultValue 0.5 */
  segmentShare: number
  /** Nearest customers used. @defaultValue 10 */
  neighbours: number
}

export const DEFAULT_TRANSFER_OPTIONS: TransferOptions = { priorEvents: 8, segmentShare: 0.5, neighbours: 10 }

export interface Neighbour {
  key: number
  similarity: number
}

/** The `k` candidates most similar (cosine) to `profile`, similarity > 0 only. */
export function nearestCustomers(
  profile: SparseVector,
  candidates: { key: number; profile: SparseVector }[],
  k: number
): Neighbour[] {
  const scored: Neighbour[] = []
  for (const c of candidates) {
    const s = cosine(profile, c.profile)
    if (s > 0) scored.push({ key: c.key, similarity: s })
  }
  scored.sort((a, b) => b.similarity - a.similarity || a.key - b.key)
  return scored.slice(0, k)
}

export interface TransferInput {
  own: SparseVector
  events: number
  /** The nearest segment's centroid as a distribution (empty when unknown). */
  segment: SparseVector
  /** Profiles of the most similar customers with their similarity. */
  neighbours: { profile: SparseVector; similarity: number }[]
}

export function transferVector(input: TransferInput, options?: Partial<TransferOptions>): SparseVector {
  const o = getDefinedOptions(DEFAULT_TRANSFER_OPTIONS, options)
  if (!(o.priorEvents >= 0)) throw new Error(`priorEvents must be >= 0, got ${o.priorEvents}.`)
  if (!(o.segmentShare >= 0 && o.segmentShare <= 1)) throw new Error(`segmentShare must be in [0, 1], got ${o.segmentShare}.`)
  const n = Math.max(0, input.events)
  const alpha = n + o.priorEvents > 0 ? n / (n + o.priorEvents) : 1
  const near: SparseVector = new Map()
  let simSum = 0
  for (const nb of input.neighbours) {
    addInto(near, normalizeL1(nb.profile), nb.similarity)
    simSum += nb.similarity
  }
  const borrowed: SparseVector = new Map()
  const seg = normalizeL1(input.segment)
  const hasSeg = seg.size > 0
  const hasNear = simSum > 0
  const segShare = hasSeg && hasNear ? o.segmentShare : hasSeg ? 1 : 0
  if (hasSeg) addInto(borrowed, seg, segShare)
  if (hasNear) addInto(borrowed, near, (1 - segShare) / simSum)
  const out: SparseVector = new Map()
  const own = normalizeL1(input.own)
  if (borrowed.size === 0) return own
  if (own.size === 0) return normalizeL1(borrowed)
  addInto(out, own, alpha)
  addInto(out, borrowed, 1 - alpha)
  return out
}
