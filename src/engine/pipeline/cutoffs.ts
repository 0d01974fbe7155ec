/**
 * Relative cut-offs: the ranker's training examples. Cut-off 0's target is each
 * customer's last visible active period, cut-off 1's the one before, and so on;
 * each cut-off's input is everything of that customer before its target. Every
 * active period of every customer is a target at exactly one cut-off, and a stage
 * fitted on a cut-off's input holds no event of any customer's own target.
 */
import { Dataset } from "../data/dataset"

export interface Cutoff {
  /** 0 = each customer's last visible period is the target, 1 = the one before, ... */
  index: number
  /** Per customer: the input is [customerOffsets[c], inputEnd[c]). */
  inputEnd: Int32Array
  /** Per customer: the target is [inputEnd[c], targetEnd[c]) (empty: no target at this cut-off). */
  targetEnd: Int32Array
}

/** Position where each customer's last period before `end` starts. */
export function lastPeriodStart(ds: Dataset, eventPeriods: Int32Array, end: Int32Array): Int32Array {
  const out = new Int32Array(end.length)
  for (let c = 0; c < end.length; c++) {
    const start = ds.customerOffsets[c]
    let i = end[c]
    if (i > start) {
      const last = eventPeriods[i - 1]
      while (i > start && eventPeriods[i - 1] === last) i--
    }
    out[c] = i
  }
  return out
}

/** Up to `max` cut-offs of the events [customerOffsets[c], visibleEnd[c]), latest first; stops when no target is left. */
export function relativeCutoffs(ds: Dataset, eventPeriods: Int32Array, visibleEnd: Int32Array, max: number): Cutoff[] {
  const out: Cutoff[] = []
  let targetEnd = visibleEnd
  for (let index = 0; index < max; index++) {
    const inputEnd = lastPeriodStart(ds, eventPeriods, targetEnd)
    let targets = 0
    let inputs = 0
    for (let c = 0; c < inputEnd.length; c++) {
      if (targetEnd[c] > inputEnd[c]) targets++
      if (inputEnd[c] > ds.customerOffsets[c]) inputs++
    }
    // A cut-off whose inputs are all empty has nothing to learn from (no stage can be fitted).
    if (targets === 0 || inputs === 0) break
    out.push({ index, inputEnd, targetEnd })
    targetEnd = inputEnd
  }
  return out
}

export function hasTarget(cut: Cutoff, c: number): boolean {
  return cut.targetEnd[c] > cut.inputEnd[c]
}
