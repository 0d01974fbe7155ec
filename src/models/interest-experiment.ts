import { generateEntityId } from "@medusajs/medusa"
import { BeforeInsert, Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from "typeorm"
import type { ExperimentArm, ExperimentStatus } from "../types/experiments"

/**
 * An online experiment on one placement: its shoppers are split between arms
 * by a stable hash (engine/experiments/assignment.ts) while it runs. Draft,
 * then running, then stopped (with the winner the merchant shipped, if any);
 * at most one runs per placement.
 */
@Entity({ name: "interest_experiment" })
@Index("UQ_interest_experiment_running_placement", ["placement"], { unique: true, where: `"status" = 'running'` })
export class InterestExperiment {
  @PrimaryColumn({ type: "varchar" })
  id: string

  @Column({ type: "varchar" })
  name: string

  /** for_you | related | trending | recently_viewed | segment */
  @Column({ type: "varchar" })
  placement: string

  /** [{ name, share, strategy, model_version_id? }] in assignment order. */
  @Column({ type: "jsonb" })
  arms: ExperimentArm[]

  /** The arm the others are compared with. */
  @Column({ type: "varchar" })
  control_arm: string

  @Column({ type: "varchar", default: "draft" })
  status: ExperimentStatus

  /** The arm shipped when the experiment was stopped: it then serves the whole placement. */
  @Column({ type: "varchar", nullable: true })
  winner: string | null

  @Column({ type: "timestamptz", nullable: true })
  started_at: Date | null

  @Column({ type: "timestamptz", nullable: true })
  stopped_at: Date | null

  @CreateDateColumn({ type: "timestamptz" })
  created_at: Date

  @UpdateDateColumn({ type: "timestamptz" })
  updated_at: Date

  @BeforeInsert()
  private beforeInsert(): void {
    this.id = generateEntityId(this.id, "iexp")
  }
}
