import { Column, Entity, Index, PrimaryColumn } from "typeorm"

/**
 * A visitor id identified into a customer (POST /store/interest/identify). A
 * visitor id belongs to one customer, once: the link is never moved to another.
 */
@Entity({ name: "interest_visitor_link" })
export class InterestVisitorLink {
  @PrimaryColumn({ type: "varchar" })
  visitor_id: string

  @Index("IDX_interest_visitor_link_customer")
  @Column({ type: "varchar" })
  customer_id: string

  @Column({ type: "timestamptz", default: () => "now()" })
  linked_at: Date
}
