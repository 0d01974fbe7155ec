import { Column, CreateDateColumn, Entity, PrimaryColumn } from "typeorm"

/**
 * A customer (or visitor) who asked not to be tracked, or was erased; nothing is
 * captured for them. `subject_id` is the SHA-256 (hex) of the subject
 * (src/repositories/sql/opt-out-key.ts `optOutKey`), not the id itself.
 */
@Entity({ name: "interest_opt_out" })
export class InterestOptOut {
  @PrimaryColumn({ type: "varchar" })
  subject_id: string

  /** customer | visitor */
  @Column({ type: "varchar", default: "customer" })
  subject_type: string

  @Column({ type: "text", nullable: true })
  reason: string | null

  @CreateDateColumn({ type: "timestamptz" })
  created_at: Date
}
