import { BaseEntity, generateEntityId } from "@medusajs/medusa"
import { BeforeInsert, Column, Entity, Index } from "typeorm"

/** A precomputed, ranked list for one subject and placement, written by training. */
@Entity({ name: "interest_recommendation" })
@Index(
  "UQ_interest_recommendation_key",
  ["model_version_id", "subject_id", "placement", "context_id"],
  { unique: true }
)
export class InterestRecommendation extends BaseEntity {
  @Column({ type: "varchar" })
  model_version_id: string

  /** A customer id, visitor id, segment id, or "*" for everyone. */
  @Column({ type: "varchar" })
  subject_id: string

  /** for_you | related | trending | recently_viewed | segment */
  @Column({ type: "varchar" })
  placement: string

  /** The product for `related`, the segment for `segment`; "" otherwise. */
  @Column({ type: "varchar", default: "" })
  context_id: string

  /** [{ product_id, score, reason }] best first */
  @Column({ type: "jsonb" })
  items: unknown[]

  @BeforeInsert()
  private beforeInsert(): void {
    this.id = generateEntityId(this.id, "irec")
  }
}
