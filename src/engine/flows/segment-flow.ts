/**
 * Segment migration between two training runs: where each segment's customers
 * went. Segment ids are comparable across runs because training matches each
 * new centroid to the previous run's (segments/match.ts), so "seg_3 → seg_3" is
 * a customer who stayed and "seg_3 → seg_5" one whose interests moved.
 * A customer in only the later run comes from NEW_CUSTOMERS; one in only the
 * earlier run goes to GONE_CUSTOMERS (erased, or no longer profiled).
 */
import { cosineRecord } from "../segments/match"

/** The `from` of customers the earlier run did not segment. */
export const NEW_CUSTOMERS = "new"
/** The `to` of customers the later run does not segment. */
export const GONE_CUSTOMERS = "gone"

/** One customer's segment in a run. */
export interface SegmentAssignmentEntry {
  customer_id: string
  segment_id: string
}

export interface SegmentFlowCell {
  /** A segment id of the earlier run, or NEW_CUSTOMERS. */
  from: string
  /** A segment id of the later run, or GONE_CUSTOMERS. */
  to: string
  customers: number
}

export interface SegmentFlow {
  /** Every non-empty (from, to) pair, most customers first (then by ids). */
  cells: SegmentFlowCell[]
  /** Customers in the same segment in both runs. */
  stayed: number
  /** Customers in both runs, in another segment. */
  moved: number
  /** Customers only the later run segments. */
  joined: number
  /** Customers only the earlier run segments. */
  left: number
}

function byCustomer(assignment: SegmentAssignmentEntry[], label: string): Map<string, string> {
  if (!Array.isArray(assignment)) throw new Error(`The ${label} assignment must be an array.`)
  const out = new Map<string, string>()
  for (const a of assignment) {
    if (typeof a?.customer_id !== "string" || typeof a?.segment_id !== "string") {
      throw new Error(`Every entry of the ${label} assignment needs a customer_id and a segment_id.`)
    }
    // A customer has one segment per run: a second entry is a corrupt row, not a second vote.
    if (out.has(a.customer_id)) throw new Error(`Customer ${a.customer_id} appears twice in the ${label} assignment.`)
    out.set(a.customer_id, a.segment_id)
  }
  return out
}

/**
 * Counts customers per (segment before, segment after).
 * @param from - the earlier run's assignment
 * @param to - the later run's assignment
 */
export function segmentFlow(from: SegmentAssignmentEntry[], to: SegmentAssignmentEntry[]): SegmentFlow {
  const before = byCustomer(from, "earlier")
  const after = byCustomer(to, "later")
  const counts = new Map<string, SegmentFlowCell>()
  const add = (f: string, t: string): void => {
    const key = `${f}\u0000${t}`
    const cell = counts.get(key)
    if (cell) cell.customers++
    else counts.set(key, { from: f, to: t, customers: 1 })
  }
  let stayed = 0
  let moved = 0
  let left = 0
  for (const [customer, f] of before) {
    const t = after.get(customer)
    if (t === undefined) {
      left++
      add(f, GONE_CUSTOMERS)
      continue
    }
    if (t === f) stayed++
    else moved++
    add(f, t)
  }
  let joined = 0
  for (const [customer, t] of after) {
    if (before.has(customer)) continue
    joined++
    add(NEW_CUSTOMERS, t)
  }
  const cells = [...counts.values()].sort(
    (a, b) => b.customers - a.customers || a.from.localeCompare(b.from) || a.to.localeCompare(b.to)
  )
  return { cells, stayed, moved, joined, left }
}

/** One run's segments as drift needs them. */
export interface RunSegments {
  segments: { id: string; size: number; centroid: Record<string, number> }[]
}

export interface SegmentDrift {
  id: string
  /** Customers in the segment in each run (oldest first); null where the segment did not exist. */
  sizes: (number | null)[]
  /**
   * 1 - cosine between the segment's centroid in a run and in the run before
   * (oldest first); null in a run the segment is absent from or new in.
   */
  shifts: (number | null)[]
}

const r6 = (x: number): number => Math.round(x * 1e6) / 1e6

/**
 * Each segment's size and centroid shift run by run, for the segments of the
 * last run. The shift is measured between consecutive runs of this series (the
 * same formula as a segment's `drift`, which is measured against the version
 * that was active when it trained: after a rollback the two can differ).
 * @param runs - oldest first
 */
export function segmentDrift(runs: RunSegments[]): SegmentDrift[] {
  if (!runs.length) return []
  const byRun = runs.map((r) => new Map(r.segments.map((s) => [s.id, s])))
  return runs[runs.length - 1].segments.map(({ id }) => ({
    id,
    sizes: byRun.map((m) => m.get(id)?.size ?? null),
    shifts: byRun.map((m, i) => {
      const now = m.get(id)
      const before = i > 0 ? byRun[i - 1].get(id) : undefined
      return now && before ? r6(Math.max(0, 1 - cosineRecord(before.centroid, now.centroid))) : null
    }),
  }))
}
