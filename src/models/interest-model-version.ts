import { generateEntityId, SoftDeletableEntity } from "@medusajs/medusa"
import { BeforeInsert, Column, Entity, Index } from "typeorm"
import type { SegmentAssignment } from "../types/segment-assignment"

/** One trained model: what serving reads while it is the active one. */
@Entity({ name: "interest_model_version" })
export class InterestModelVersion extends SoftDeletableEntity {
  /** training | ready | failed */
  @Column({ type: "varchar", default: "training" })
  status: string

  /** At most one row is active (partial unique index in the migration). */
  @Column({ type: "boolean", default: false })
  is_active: boolean

  /** The engine's serialized artifacts (segments, blend weights, sequence model weights...). */
  @Column({ type: "jsonb", nullable: true })
  artifacts: Record<string, unknown> | null

  /** Offline metrics of the model against the baselines. */
  @Column({ type: "jsonb", nullable: true })
  metrics: Record<string, unknown> | null

  /**
   * Each customer's segment in this version: the segments' members while it is
   * active. One entry per customer, so admin summaries leave it out.
   */
  @Column({ type: "jsonb", nullable: true })
  segment_assignment: SegmentAssignment[] | null

  @Column({ type: "jsonb", nullable: true })
  options: Record<string, unknown> | null

  @Column({ type: "varchar", nullable: true })
  backend: string | null

  @Column({ type: "integer", nullable: true })
  duration_ms: number | null

  @Column({ type: "integer", default: 0 })
  event_count: number

  @Column({ type: "integer", default: 0 })
  customer_count: number

  @Column({ type: "text", nullable: true })
  error: string | null

  @Column({ type: "timestamptz", nullable: true })
  activated_at: Date | null

  @Index("IDX_interest_model_version_run")
  @Column({ type: "varchar", nullable: true })
  training_run_id: string | null

  @BeforeInsert()
  private beforeInsert(): void {
    this.id = generateEntityId(this.id, "imv")
  }
}
