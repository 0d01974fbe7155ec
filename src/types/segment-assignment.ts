/** One customer's segment in a model version (`interest_model_version.segment_assignment`). */
export interface SegmentAssignment {
  segment_id: string
  customer_id: string
  /** Distance to the segment's centroid; null when training does not measure it. */
  distance: number | null
}
