import { generateEntityId, SoftDeletableEntity } from "@medusajs/medusa"
import { BeforeInsert, Column, Entity, Index } from "typeorm"

/** A group of customers with similar interests; keeps its id across retrains. */
@Entity({ name: "interest_segment" })
export class InterestSegment extends SoftDeletableEntity {
  /** Shown to merchants; generated from the top interests until a merchant renames it. */
  @Column({ type: "varchar" })
  name: string

  @Column({ type: "varchar" })
  auto_name: string

  @Column({ type: "text", nullable: true })
  description: string | null

  /** A pinned segment keeps its name and is never retired by a retrain. */
  @Column({ type: "boolean", default: false })
  pinned: boolean

  @Column({ type: "integer", default: 0 })
  size: number

  /** [{ id, name, weight }] */
  @Column({ type: "jsonb", default: [] })
  top_interests: unknown[]

  /** { interest id: weight } */
  @Column({ type: "jsonb", default: {} })
  centroid: Record<string, number>

  @Column({ type: "real", nullable: true })
  cohesion: number | null

  @Column({ type: "real", nullable: true })
  drift: number | null

  /** active | retired */
  @Column({ type: "varchar", default: "active" })
  status: string

  @Index("IDX_interest_segment_model_version")
  @Column({ type: "varchar", nullable: true })
  model_version_id: string | null

  /** The Medusa customer group this segment was last synced to. */
  @Column({ type: "varchar", nullable: true })
  customer_group_id: string | null

  @Column({ type: "timestamptz", nullable: true })
  synced_at: Date | null

  @Column({ type: "jsonb", nullable: true })
  metadata: Record<string, unknown> | null

  @BeforeInsert()
  private beforeInsert(): void {
    this.id = generateEntityId(this.id, "iseg")
  }
}
