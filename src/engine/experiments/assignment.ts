/**
 * Which arm of an experiment a shopper sees. The arm is a pure function of the
 * experiment id and the shopper's unit key, so every instance of the shop, on
 * every request, puts the same shopper in the same arm without storing it, and
 * two experiments split the same shoppers independently of each other.
 */

/** An arm as assignment needs it: a name and its share of the traffic. */
export interface ArmShare {
  name: string
  /** Fraction of shoppers, in (0, 1]; the shares of an experiment sum to 1. */
  share: number
}

/** How far the shares of an experiment may be from summing to 1 (rounding of decimals like 1/3). */
export const SHARE_TOLERANCE = 1e-6

/**
 * A 32-bit hash of a string (FNV-1a over UTF-16 code units, then murmur3's
 * finaliser so that ids differing in their last characters still land far
 * apart), mapped to [0, 1).
 * @param text - any string
 * @return a uniform-looking number in [0, 1)
 */
export function unitHash(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return (h >>> 0) / 4294967296
}

/**
 * Throws a readable error unless the arms are usable: at least two, distinct
 * non-empty names, every share in (0, 1], the shares summing to 1.
 */
export function validateShares(arms: ArmShare[]): void {
  if (arms.length < 2) throw new Error("An experiment needs at least two arms.")
  const names = new Set<string>()
  let sum = 0
  for (const arm of arms) {
    if (!arm.name) throw new Error("Every arm needs a name.")
    if (names.has(arm.name)) throw new Error(`Arm names must be distinct: ${arm.name} appears twice.`)
    names.add(arm.name)
    if (!(arm.share > 0 && arm.share <= 1)) throw new Error(`The share of arm ${arm.name} must be in (0, 1], got ${arm.share}.`)
    sum += arm.share
  }
  if (Math.abs(sum - 1) > SHARE_TOLERANCE) throw new Error(`The arms' shares must sum to 1, they sum to ${Number(sum.toFixed(6))}.`)
}

/**
 * The arm of one shopper: the hash of (experiment id, unit key) falls into one
 * arm's slice of [0, 1), slices in the order of the arms.
 * @param experimentId - the experiment
 * @param unitKey - the shopper (see the experiment service for which id is the key)
 * @param arms - the experiment's arms, shares summing to 1
 * @return the arm's name
 */
export function assignArm(experimentId: string, unitKey: string, arms: ArmShare[]): string {
  const u = unitHash(`${experimentId}\u0000${unitKey}`)
  let edge = 0
  for (const arm of arms) {
    edge += arm.share
    if (u < edge) return arm.name
  }
  // Only when the shares sum to a hair under 1 (within SHARE_TOLERANCE).
  return arms[arms.length - 1].name
}
