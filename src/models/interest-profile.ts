import { BaseEntity, generateEntityId } from "@medusajs/medusa"
import { BeforeInsert, Column, Entity, Index } from "typeorm"

/** A customer's (or visitor's) interest vector over one dimension for one period. */
@Entity({ name: "interest_profile" })
@Index("UQ_interest_profile_subject_period", ["subject_id", "dimension", "period", "period_start"], {
  unique: true,
})
export class InterestProfile extends BaseEntity {
  @Column({ type: "varchar" })
  subject_id: string

  /** customer | visitor */
  @Column({ type: "varchar", default: "customer" })
  subject_type: string

  /** category | collection | tag | type */
  @Column({ type: "varchar", default: "category" })
  dimension: string

  /** day | week | month */
  @Column({ type: "varchar" })
  period: string

  @Column({ type: "timestamptz" })
  period_start: Date

  /** { interest id: weight } */
  @Column({ type: "jsonb" })
  vector: Record<string, number>

  @Column({ type: "integer", default: 0 })
  event_count: number

  @Index("IDX_interest_profile_model_version")
  @Column({ type: "varchar", nullable: true })
  model_version_id: string | null

  @BeforeInsert()
  private beforeInsert(): void {
    this.id = generateEntityId(this.id, "iprof")
  }
}
