import { dataSource } from "@medusajs/medusa/dist/loaders/database"
import { InterestEvent } from "../models/interest-event"
import type { CapturedEvent } from "../types/events"
import { optOutKeySql } from "./sql/opt-out-key"

const INSERT_COLUMNS = [
  "id",
  "customer_id",
  "visitor_id",
  "product_id",
  "variant_id",
  "type",
  "sales_channel_id",
  "quantity",
  "occurred_at",
  "client_event_id",
  "source_order_id",
  "recommendation_id",
  "metadata",
  "client_source",
] as const

/** Captured behaviour (`interest_event`). */
export const InterestEventRepository = dataSource.getRepository(InterestEvent).extend({
  /**
   * Inserts events in one statement; a client event id already stored is skipped.
   * @return how many rows were inserted
   */
  async insertMany(events: CapturedEvent[]): Promise<number> {
    if (!events.length) return 0
    const params: unknown[] = []
    const rows = events.map((e) => {
      const values = INSERT_COLUMNS.map((column) => {
        params.push(column === "metadata" ? (e.metadata ? JSON.stringify(e.metadata) : null) : e[column])
        return `$${params.length}`
      })
      return `(${values.join(", ")})`
    })
    const result: unknown[] = await this.query(
      `INSERT INTO "interest_event" (${INSERT_COLUMNS.map((c) => `"${c}"`).join(", ")})
       VALUES ${rows.join(", ")}
       ON CONFLICT ("client_event_id") WHERE "client_event_id" IS NOT NULL DO NOTHING
       RETURNING "id"`,
      params
    )
    return result.length
  },

  /** @return the subset of these client event ids already stored */
  async storedClientEventIds(clientEventIds: string[]): Promise<Set<string>> {
    if (!clientEventIds.length) return new Set()
    const rows: { client_event_id: string }[] = await this.query(
      `SELECT "client_event_id" FROM "interest_event" WHERE "client_event_id" = ANY($1)`,
      [clientEventIds]
    )
    return new Set(rows.map((r) => r.client_event_id))
  },

  /** @return a customer's events, oldest first */
  async listByCustomer(customerId: string): Promise<CapturedEvent[]> {
    return await this.query(`SELECT * FROM "interest_event" WHERE "customer_id" = $1 ORDER BY "occurred_at", "id"`, [customerId])
  },

  /**
   * Gives a visitor id's anonymous events to a customer.
   * @return how many events moved
   */
  async moveAnonymousToCustomer(visitorId: string, customerId: string): Promise<number> {
    const [, moved] = await this.query(
      `UPDATE "interest_event" SET "customer_id" = $1, "updated_at" = now()
       WHERE "visitor_id" = $2 AND "customer_id" IS NULL`,
      [customerId, visitorId]
    )
    return Number(moved) || 0
  },

  /**
   * Orders of customers (not opted out) placed within `sinceDays`, with at
   * least one product line and no purchase event yet, oldest first.
   * @return their ids, at most `limit`
   */
  async ordersWithoutPurchases(sinceDays: number, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.query(
      `SELECT o."id" FROM "order" o
       WHERE o."customer_id" IS NOT NULL
         AND o."created_at" >= now() - make_interval(days => $1)
         AND NOT EXISTS (SELECT 1 FROM "interest_event" e WHERE e."source_order_id" = o."id")
         AND NOT EXISTS (SELECT 1 FROM "interest_opt_out" x WHERE x."subject_id" = ${optOutKeySql('o."customer_id"')})
         AND EXISTS (
           SELECT 1 FROM "line_item" li JOIN "product_variant" v ON v."id" = li."variant_id" WHERE li."order_id" = o."id"
         )
       ORDER BY o."created_at"
       LIMIT $2`,
      [sinceDays, limit]
    )
    return rows.map((r) => r.id)
  },
})

export default InterestEventRepository
