/**
 * The engine: pure, Medusa-free. See docs/evaluate.md and DESIGN.md.
 */
export * from "./types"
export * from "./pipeline"
export { parseInterestEventsCsv } from "./data/csv"
export { evaluateOnEvents } from "./evaluation/evaluate"
export type { EvaluationResult, EvaluationRow } from "./evaluation/evaluate"
export { formatEvaluationTable, formatSummary } from "./evaluation/table"
export { fitSegments } from "./segments/segments"
export type { Segment, SegmentModel } from "./segments/segments"
