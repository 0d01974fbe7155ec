// Type-only: the admin extensions (src/admin) import it too, so it must hold no runtime code.
// The answer of GET /admin/interest/flows (docs/api.md).

/** A model version a segment flow starts or ends at. */
export interface SegmentFlowVersion {
  id: string
  created_at: string
  is_active: boolean
  /** Customers its segment assignment holds. */
  customers: number
}

export interface SegmentFlowReport {
  /** The earlier version; null when fewer than two versions can be compared. */
  from: SegmentFlowVersion | null
  to: SegmentFlowVersion | null
  /** Every segment of either version, with its size in each (0 where it has none). */
  segments: { id: string; name: string; status: string | null; from_size: number; to_size: number }[]
  /**
   * Customers per (segment in `from`, segment in `to`), most first; `from` is
   * "new" for customers `from` did not segment, `to` is "gone" for customers `to` does not.
   */
  flows: { from: string; to: string; customers: number }[]
  totals: { stayed: number; moved: number; new: number; gone: number }
  /** The last runs up to `to` (oldest first), and each of `to`'s segments over them. */
  drift: {
    runs: { id: string; created_at: string }[]
    segments: {
      id: string
      /** Customers per run; null where the segment did not exist. */
      sizes: (number | null)[]
      /** 1 - cosine of its centroid to the run before; null where it is absent or new. */
      centroid_shifts: (number | null)[]
    }[]
  }
  /** Why the report is empty, when it is. */
  note: string | null
}
