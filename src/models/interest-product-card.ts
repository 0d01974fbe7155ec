import { Column, Entity, PrimaryColumn, UpdateDateColumn } from "typeorm"

/**
 * A prepared product as the store routes return it (priced for one region or
 * currency), so serving need not rebuild products through Medusa's services on
 * every request. Kept fresh from product, variant and price events.
 */
@Entity({ name: "interest_product_card" })
export class InterestProductCard {
  @PrimaryColumn({ type: "varchar" })
  product_id: string

  /** "region:<id>", "currency:<code>" or "" for unpriced. */
  @PrimaryColumn({ type: "varchar" })
  price_context: string

  @Column({ type: "jsonb" })
  card: Record<string, unknown>

  @UpdateDateColumn({ type: "timestamptz" })
  updated_at: Date
}
