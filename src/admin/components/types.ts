// Shapes of the plugin's admin API answers (see docs/api.md), only the
// fields the admin pages read.

// Shared with the server (src/services/interest-insights.ts); a type-only file,
// so nothing of the server enters the admin bundle.
import type { PlacementStats } from "../../types/placement-stats"
import type { ProductContributors } from "../../types/product-contributors"
export type { PlacementStats, ProductContributors }

export interface NamedInterest {
  id: string
  name: string | null
  weight: number
}

export interface Segment {
  id: string
  name: string
  auto_name: string
  description: string | null
  pinned: boolean
  size: number
  top_interests: NamedInterest[]
  centroid: Record<string, number> | null
  cohesion: number | null
  drift: number | null
  status: string
  model_version_id: string | null
  customer_group_id: string | null
  synced_at: string | null
  updated_at: string
}

export interface SegmentMember {
  customer_id: string
  email: string | null
  first_name: string | null
  last_name: string | null
  has_account: boolean
  distance: number | null
}

export interface Paged {
  count: number
  offset: number
  limit: number
}

export interface SegmentsResponse extends Paged {
  segments: Segment[]
}

export interface MembersResponse extends Paged {
  members: SegmentMember[]
}

export interface SyncResult {
  customer_group: { id: string; name: string }
  added: number
  removed: number
  size: number
}

/** Validation NDCG of one method on the latest cut-off when the version was fitted (train-model.ts TrainReport). */
export interface MethodScore {
  /** null when the method was not scored (NaN in JSON). */
  category: number | null
  product: number | null
}

export interface TrainReport {
  trainingCustomers?: number
  queries?: number
  coldQueries?: number
  validation?: Record<string, MethodScore>
  lstm?: { used: boolean; epochs?: number; finalLoss?: number; backend?: string; reason?: string }
}

export interface ModelVersion {
  id: string
  status: "training" | "ready" | "failed"
  is_active: boolean
  metrics: { report?: TrainReport; silhouette?: number } | null
  backend: string | null
  duration_ms: number | null
  event_count: number | null
  customer_count: number | null
  error: string | null
  activated_at: string | null
  training_run_id: string | null
  created_at: string
}

export interface ModelsResponse extends Paged {
  models: ModelVersion[]
}

export interface TrainingRun {
  id: string
  status: "running" | "succeeded" | "failed"
  progress: { stage?: string; message?: string; percent?: number } | null
  error: string | null
  model_version_id: string | null
}

export interface ProfilePoint {
  dimension: string
  period: string
  period_start: string
  event_count: number
  vector: Record<string, number>
  top_interests: NamedInterest[]
}

export interface RecommendationItem {
  product_id: string
  score?: number
  reason?: string
}

export interface CustomerInsights {
  customer_id: string
  active_model_id: string | null
  timeline: ProfilePoint[]
  segment: (Pick<Segment, "id" | "name" | "size" | "top_interests" | "customer_group_id"> & { distance: number | null }) | null
  recommendations: { id: string; placement: string; context_id: string; items: RecommendationItem[]; created_at: string }[]
  predicted: { source: string; interests: NamedInterest[] } | null
  /** P(segment | customer), most likely first; null when the model does not know them. */
  segment_mixture: { id: string; name: string; probability: number }[] | null
  opted_out: boolean
}

export interface ProductInsights {
  product_id: string
  model_version_id: string | null
  related: { product_id: string; title: string | null; thumbnail: string | null; score: number; reason: string }[]
  from: string
  to: string
  placements: PlacementStats[]
  totals: Omit<PlacementStats, "placement">
}

export interface ProductContributorsAnswer {
  contributors: ProductContributors
  from: string
  to: string
  rule: { top1Share: number; top1MinEvents: number; top10Share: number; top10MinEvents: number }
}
