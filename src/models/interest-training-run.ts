import { BaseEntity, generateEntityId } from "@medusajs/medusa"
import { BeforeInsert, Column, Entity, Index } from "typeorm"

/** One attempt to train a model version, with its live progress. */
@Entity({ name: "interest_training_run" })
export class InterestTrainingRun extends BaseEntity {
  /** running | succeeded | failed */
  @Index("IDX_interest_training_run_status")
  @Column({ type: "varchar", default: "running" })
  status: string

  /** admin | schedule | cli */
  @Column({ type: "varchar", default: "admin" })
  trigger: string

  /** { stage, epoch, epochs, loss, eta_ms, percent } */
  @Column({ type: "jsonb", default: {} })
  progress: Record<string, unknown>

  @Column({ type: "varchar", nullable: true })
  model_version_id: string | null

  @Column({ type: "text", nullable: true })
  error: string | null

  @Column({ type: "timestamptz", nullable: true })
  finished_at: Date | null

  /** Written every few seconds by the process training the run (TRAINING_HEARTBEAT_MS). */
  @Column({ type: "timestamptz", nullable: true })
  heartbeat_at: Date | null

  @BeforeInsert()
  private beforeInsert(): void {
    this.id = generateEntityId(this.id, "irun")
  }
}
