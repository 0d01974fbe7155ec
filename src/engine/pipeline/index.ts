/**
 * The two entry points the plugin's services call:
 *   trainPipeline(events, catalog, options, callbacks) -> TrainedArtifacts (JSON)
 *   recommend(artifacts, request)                       -> ranked products with reasons
 */
import { CatalogProduct, InterestEvent } from "../types"
import { buildDataset } from "../data/dataset"
import { computeEventPeriods } from "../profiles/period-profiles"
import { PreviousSegment } from "../segments/match"
import { TrainedArtifacts, toArtifacts } from "./artifacts"
import { EngineOptions, resolveEngineOptions } from "../core/options"
import { TrainCallbacks, trainModel } from "./train-model"

export * from "./artifacts"
export * from "./forget"
export * from "../core/options"
export * from "./recommend"
export type { TrainReport, TrainCallbacks } from "./train-model"

export interface TrainPipelineOptions extends Partial<EngineOptions> {
  /** Last run's segments, so ids and names survive a retrain. */
  previousSegments?: PreviousSegment[]
}

/** Trains everything on all the events and returns JSON-serialisable artifacts. */
export async function trainPipeline(
  events: InterestEvent[],
  catalog: CatalogProduct[],
  options: TrainPipelineOptions = {},
  callbacks: TrainCallbacks = {}
): Promise<TrainedArtifacts> {
  if (!Array.isArray(events) || events.length === 0) throw new Error("trainPipeline needs at least one event.")
  const { previousSegments, ...engine } = options
  const o = resolveEngineOptions(engine)
  const ds = buildDataset(events, catalog)
  // The dataset holds everything from here on: let the event objects (millions of them in a big
  // shop) be collected while training runs, as far as the caller does not hold them.
  events = []
  const periods = computeEventPeriods(ds, o.period)
  const model = await trainModel(ds, periods, ds.customerOffsets.slice(1), o, callbacks, previousSegments ?? [])
  try {
    return await toArtifacts(model, ds, periods, { consume: true })
  } finally {
    for (const f of model.sequence?.folds ?? []) f.model.dispose()
  }
}

/** Segments of trained artifacts in the shape `previousSegments` expects. */
export function previousSegmentsOf(a: TrainedArtifacts): PreviousSegment[] {
  return a.segments.list.map((s) => ({ id: s.id, name: s.name, centroid: s.centroid }))
}
