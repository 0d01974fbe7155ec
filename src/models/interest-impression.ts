import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from "typeorm"

/**
 * One list served by `GET /store/recommendations`. Its id is the
 * `recommendation_id` the storefront sends back with click and add-to-cart
 * events, which is how placements are credited with what shoppers did.
 */
@Entity({ name: "interest_impression" })
@Index("IDX_interest_impression_placement_time", ["placement", "created_at"])
export class InterestImpression {
  @PrimaryColumn({ type: "varchar" })
  id: string

  @Column({ type: "varchar", nullable: true })
  model_version_id: string | null

  @Column({ type: "varchar", nullable: true })
  customer_id: string | null

  @Column({ type: "varchar", nullable: true })
  visitor_id: string | null

  /** for_you | related | trending | recently_viewed | segment */
  @Column({ type: "varchar" })
  placement: string

  @Column({ type: "varchar", default: "" })
  context_id: string

  /** The experiment that chose what this list showed, and its arm (null outside experiments). */
  @Column({ type: "varchar", nullable: true })
  experiment_id: string | null

  @Column({ type: "varchar", nullable: true })
  arm: string | null

  /** Product ids in the order they were shown. */
  @Column({ type: "jsonb" })
  product_ids: string[]

  @CreateDateColumn({ type: "timestamptz" })
  created_at: Date
}
