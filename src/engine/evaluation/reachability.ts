/**
 * How many product-level test items a behaviour-based method could know at all.
 * On a sparse catalogue most test products were never touched before, which bounds
 * product NDCG for every method; this says by how much.
 */
import { DEFAULT_ENGINE_OPTIONS } from "../core/options"
import { Dataset } from "../data/dataset"
import { relevantInRange } from "../pipeline/train-model"
import { ndcg } from "./metrics"

export interface Reachability {
  /** (test customer, relevant product) pairs, each counted once. */
  pairs: number
  /** Share of pairs whose product is in the customer's own input history. */
  own: number
  /** Share not in their own history but in some other customer's input history. */
  others: number
  /** Share with no input event by anyone. */
  unseen: number
  /** Cut-off of ownOracleNdcg. */
  k: number
  /**
   * Mean NDCG@k of a ranking that puts exactly the customer's own relevant items first:
   * the ceiling of any method that only re-orders the customer's own history.
   */
  ownOracleNdcg: number
}

/** k of the oracle: the product ranker's cut-off when reported (the summary's), else the largest. */
export function reachabilityK(ks: number[]): number {
  const k = DEFAULT_ENGINE_OPTIONS.fitK.product
  return ks.includes(k) ? k : Math.max(...ks)
}

/**
 * Over the customers with a test period (events from testStart[c] to their end); the
 * input is every event before the customer's own testStart, the full history, not
 * the truncated one a stage keeps.
 */
export function computeReachability(ds: Dataset, testStart: Int32Array, k: number): Reachability {
  const offsets = ds.customerOffsets
  const customers = offsets.length - 1
  // seenBy[p]: how many customers have p in their input, so "someone else" is a count test.
  const seenBy = new Int32Array(ds.productIds.length)
  const own = (c: number): Set<number> => {
    const s = new Set<number>()
    for (let i = offsets[c]; i < testStart[c]; i++) s.add(ds.eventProduct[i])
    return s
  }
  for (let c = 0; c < customers; c++) for (const p of own(c)) seenBy[p]++

  let pairs = 0
  let ownPairs = 0
  let otherPairs = 0
  let oracleSum = 0
  let testCustomers = 0
  for (let c = 0; c < customers; c++) {
    const end = offsets[c + 1]
    if (end <= testStart[c]) continue
    testCustomers++
    const mine = own(c)
    const relevant = relevantInRange(ds, testStart[c], end).products
    const ownRelevant: number[] = []
    for (const p of relevant) {
      pairs++
      if (mine.has(p)) {
        ownPairs++
        ownRelevant.push(p)
      } else if (seenBy[p] > 0) otherPairs++
    }
    oracleSum += ndcg(ownRelevant, relevant, k)
  }
  const share = (n: number): number => (pairs > 0 ? n / pairs : 0)
  return {
    pairs,
    own: share(ownPairs),
    others: share(otherPairs),
    unseen: share(pairs - ownPairs - otherPairs),
    k,
    ownOracleNdcg: testCustomers > 0 ? oracleSum / testCustomers : 0,
  }
}
