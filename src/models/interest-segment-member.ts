import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from "typeorm"

/** A customer's membership of a segment, as assigned by the active model version. */
@Entity({ name: "interest_segment_member" })
export class InterestSegmentMember {
  @PrimaryColumn({ type: "varchar" })
  segment_id: string

  @Index("IDX_interest_segment_member_customer")
  @PrimaryColumn({ type: "varchar" })
  customer_id: string

  /** Distance to the segment centroid (lower is closer). */
  @Column({ type: "real", nullable: true })
  distance: number | null

  @Column({ type: "varchar", nullable: true })
  model_version_id: string | null

  @CreateDateColumn({ type: "timestamptz" })
  created_at: Date
}
