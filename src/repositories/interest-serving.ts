import { dataSource } from "@medusajs/medusa/dist/loaders/database"
import type { EventWeights } from "../engine/profiles/weights"
import type { InfluenceOptions } from "../engine/profiles/influence"
import type { EventType } from "../engine/types"
import { InterestEvent } from "../models/interest-event"
import { VISITOR_PREFIX } from "../types/events"

/** Whose events a serving read is about: a customer, or an anonymous visitor id. */
export type ShopperKey = { customerId: string } | { visitorId: string }

/** A row of `shopperEvents`: a recent event, or a product bought within the exclusion window. */
export interface ShopperEventRow {
  kind: "recent" | "bought"
  product_id: string
  type: EventType
  /** ms since the epoch (0 for `bought`) */
  at: number
  quantity: number
}

/** What the popular fallback counts, all of it the shop's options. */
export interface PopularityOptions {
  eventWeights: EventWeights
  influence: InfluenceOptions
  /** Length of one profile period (date_trunc unit). */
  period: string
}

/** The reads serving makes per request or per cache refresh (services/interest-recommendation.ts). */
export const InterestServingRepository = dataSource.getRepository(InterestEvent).extend({
  /**
   * Whether a shopper must be served as an unknown one: the subject opted out,
   * or the visitor id is identified into a customer. One indexed query.
   * @param optOutKey - the subject's opt-out key (sql/opt-out-key.ts)
   * @param visitorId - the visitor id when no customer is logged in, else null
   */
  async isHidden(optOutKey: string, visitorId: string | null): Promise<boolean> {
    const [row]: { hidden: boolean }[] = await this.query(
      `SELECT EXISTS (SELECT 1 FROM interest_opt_out WHERE subject_id = $1)
           OR ($2::text IS NOT NULL AND EXISTS (SELECT 1 FROM interest_visitor_link WHERE visitor_id = $2)) AS hidden`,
      [optOutKey, visitorId]
    )
    return !!row?.hidden
  },

  /**
   * In one indexed query: the shopper's latest 200 events stored after `since`
   * and the products they bought within `boughtDays` (0: none). A visitor id
   * reads only its events that are still anonymous.
   */
  async shopperEvents(shopper: ShopperKey, since: Date, boughtDays: number): Promise<ShopperEventRow[]> {
    const [match, id] =
      "customerId" in shopper
        ? ["customer_id = $1", shopper.customerId]
        : ["visitor_id = $1 AND customer_id IS NULL", shopper.visitorId]
    const rows: (Omit<ShopperEventRow, "at"> & { at: string })[] = await this.query(
      `SELECT * FROM (
         SELECT 'recent' AS kind, product_id, type, (extract(epoch FROM occurred_at) * 1000)::bigint AS at, quantity FROM interest_event
         WHERE ${match} AND created_at > $2 ORDER BY occurred_at DESC LIMIT 200) recent
       UNION ALL
       SELECT DISTINCT 'bought' AS kind, product_id, 'purchase' AS type, 0 AS at, 0 AS quantity FROM interest_event
       WHERE $3 > 0 AND ${match} AND type = 'purchase' AND occurred_at > now() - make_interval(days => $3)`,
      [id, since, boughtDays]
    )
    return rows.map((r) => ({ ...r, at: Number(r.at) }))
  },

  /**
   * What sells best lately: the events of the last 30 days weighted by the
   * shop's event weights, counted as training counts popularity
   * (engine/profiles/influence.ts): each shopper's weight per product and
   * period capped, customers (accounts or buyers) weighted up, and visitors
   * without an order who share a client source counted as one.
   * @return product ids, heaviest first, at most `limit`
   */
  async popularProducts(o: PopularityOptions, limit: number): Promise<string[]> {
    const w = o.eventWeights
    const rows: { product_id: string }[] = await this.query(
      `WITH said AS (
         SELECT COALESCE(customer_id, '${VISITOR_PREFIX}' || visitor_id) AS shopper, product_id,
                date_trunc($7, occurred_at) AS period, min(client_source) AS source,
                bool_or(type = 'purchase' OR customer_id IS NOT NULL) AS bought,
                LEAST($8::float8, sum(LEAST(quantity, 3) * CASE type WHEN 'purchase' THEN $2::float8 WHEN 'add_to_cart' THEN $3::float8
                    WHEN 'wishlist' THEN $4::float8 WHEN 'click' THEN $5::float8 ELSE $6::float8 END)) AS weight
         FROM interest_event WHERE occurred_at > now() - interval '30 days'
         GROUP BY 1, 2, 3
       ), buyers AS (
         SELECT shopper, bool_or(bought) AS buyer FROM said GROUP BY shopper
       ), says AS (
         SELECT product_id, period,
                CASE WHEN b.buyer OR s.source IS NULL THEN 'shopper ' || s.shopper ELSE 'source ' || s.source END AS who,
                CASE WHEN b.buyer THEN $9::float8 * s.weight ELSE s.weight END AS weight, b.buyer
         FROM said s JOIN buyers b USING (shopper)
       )
       SELECT product_id FROM (
         SELECT product_id, CASE WHEN bool_or(buyer) THEN sum(weight) ELSE LEAST($8::float8, sum(weight)) END AS weight
         FROM says GROUP BY product_id, period, who
       ) per_source
       GROUP BY product_id
       ORDER BY sum(weight) DESC, product_id
       LIMIT $1`,
      [limit, w.purchase, w.add_to_cart, w.wishlist, w.click, w.view, o.period, o.influence.shopperCap, o.influence.customerWeight]
    )
    return rows.map((r) => r.product_id)
  },

  /** @return segment id -> its (merchant-given) name, of every model version */
  async segmentNames(): Promise<Map<string, string>> {
    const rows: { id: string; name: string }[] = await this.query(`SELECT id, name FROM interest_segment`)
    return new Map(rows.map((r) => [r.id, r.name]))
  },
})

export default InterestServingRepository
