import { BaseEntity, generateEntityId } from "@medusajs/medusa"
import { BeforeInsert, Column, Entity, Index } from "typeorm"

/** One thing a shopper did, as captured from the storefront or from an order. */
@Entity({ name: "interest_event" })
@Index("IDX_interest_event_customer_time", ["customer_id", "occurred_at"])
@Index("IDX_interest_event_visitor_time", ["visitor_id", "occurred_at"])
@Index("IDX_interest_event_product_time", ["product_id", "occurred_at"])
export class InterestEvent extends BaseEntity {
  @Column({ type: "varchar", nullable: true })
  customer_id: string | null

  @Column({ type: "varchar", nullable: true })
  visitor_id: string | null

  @Column({ type: "varchar" })
  product_id: string

  @Column({ type: "varchar", nullable: true })
  variant_id: string | null

  /** view | add_to_cart | wishlist | purchase | click */
  @Column({ type: "varchar" })
  type: string

  @Index("IDX_interest_event_sales_channel")
  @Column({ type: "varchar", nullable: true })
  sales_channel_id: string | null

  @Column({ type: "integer", default: 1 })
  quantity: number

  @Index("IDX_interest_event_occurred_at")
  @Column({ type: "timestamptz" })
  occurred_at: Date

  /** Set by the storefront (or derived from the order line) so a retried event is stored once. */
  @Column({ type: "varchar", nullable: true })
  client_event_id: string | null

  @Index("IDX_interest_event_source_order")
  @Column({ type: "varchar", nullable: true })
  source_order_id: string | null

  /** The recommendation the shopper acted on, for attribution. */
  @Index("IDX_interest_event_recommendation")
  @Column({ type: "varchar", nullable: true })
  recommendation_id: string | null

  @Column({ type: "jsonb", nullable: true })
  metadata: Record<string, unknown> | null

  /** Keyed hash of the sender's address, never the address (api/helpers/client-source.ts). */
  @Column({ type: "varchar", nullable: true })
  client_source: string | null

  @BeforeInsert()
  private beforeInsert(): void {
    this.id = generateEntityId(this.id, "iev")
  }
}
