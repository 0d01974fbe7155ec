import { customerMixture } from "../ranking/signals"
import type { LoadedModel } from "./artifacts"

export interface SegmentShare {
  /** The segment's id (as stored for the model version). */
  id: string
  probability: number
}

/**
 * A customer's soft segment membership P(segment | customer) in the model
 * (segments/mixture.ts), most likely first; null for a customer the model does
 * not know, empty for one without an interest profile.
 */
export function segmentMembership(model: LoadedModel, customerId: string): SegmentShare[] | null {
  const stage = model.stage
  const index = stage.customerIndex.get(customerId)
  if (index === undefined) return null
  const mixture = customerMixture(stage, stage.customers[index].damped)
  return mixture
    .map((p, t) => ({ id: stage.segments.segments[t]?.id ?? `seg_${t}`, probability: Math.round(p * 1e4) / 1e4 }))
    .sort((a, b) => b.probability - a.probability || a.id.localeCompare(b.id))
}
