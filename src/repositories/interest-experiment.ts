import { dataSource } from "@medusajs/medusa/dist/loaders/database"
import { InterestExperiment } from "../models/interest-experiment"
import { shopperCategorySql } from "./sql/shopper-category"

/** One exposed shopper of an experiment: the arm of their first list, and their orders since. */
export interface ExposureRow {
  shopper: string
  arm: string
  exposed_at: number
  /** Orders placed at or after the first exposure; revenue null for an order in another currency. */
  orders: { at: number; revenue: number | null }[]
}

/** Last-touch outcomes of an arm's lists. */
export interface ArmActivityRow {
  arm: string
  impressions: number
  clicks: number
  add_to_carts: number
  /** Orders with at least one line item credited to the arm (last touch within the window). */
  orders: number
  /** Line items credited to the arm. */
  purchases: number
  /** Their unit price times quantity, in the given currency's smallest unit. */
  revenue: number
}

/**
 * The `interest_experiment` table, and the reads that turn an experiment's
 * impressions, events and orders into per-arm outcomes.
 */
export const InterestExperimentRepository = dataSource.getRepository(InterestExperiment).extend({
  /**
   * Starts a draft unless another experiment runs on its placement (the partial
   * unique index settles a race between two starts).
   * @return the started row, or undefined when nothing was started
   */
  async startDraft(id: string): Promise<InterestExperiment | undefined> {
    const [rows] = await this.query(
      `UPDATE "interest_experiment" x SET "status" = 'running', "started_at" = now(), "updated_at" = now()
       WHERE x."id" = $1 AND x."status" = 'draft'
         AND NOT EXISTS (SELECT 1 FROM "interest_experiment" r WHERE r."placement" = x."placement" AND r."status" = 'running')
       RETURNING *`,
      [id]
    )
    return rows?.[0]
  },

  /** @return the stopped row, or undefined when it was not running */
  async stopRunning(id: string, winner: string | null): Promise<InterestExperiment | undefined> {
    const [rows] = await this.query(
      `UPDATE "interest_experiment" SET "status" = 'stopped', "stopped_at" = now(), "winner" = $2, "updated_at" = now()
       WHERE "id" = $1 AND "status" = 'running' RETURNING *`,
      [id, winner]
    )
    return rows?.[0]
  },

  /**
   * What decides each placement's lists: the running experiment, else the
   * winner shipped by the most recently stopped experiment (once per placement).
   */
  async serving(): Promise<InterestExperiment[]> {
    return await this.query(
      `SELECT * FROM "interest_experiment" WHERE "status" = 'running'
       UNION ALL
       SELECT * FROM (
         SELECT DISTINCT ON ("placement") * FROM "interest_experiment"
         WHERE "status" = 'stopped' AND "winner" IS NOT NULL ORDER BY "placement", "stopped_at" DESC, "id"
       ) shipped
       WHERE NOT EXISTS (SELECT 1 FROM "interest_experiment" r WHERE r."placement" = shipped."placement" AND r."status" = 'running')`
    )
  },

  /** The store's default currency: revenue is summed in it. */
  async storeCurrency(): Promise<string | null> {
    const [row]: { code: string | null }[] = await this.query(`SELECT "default_currency_code" AS code FROM "store" LIMIT 1`)
    return row?.code ?? null
  },

  /**
   * Every shopper with a list of the experiment: a customer, a visitor's linked
   * customer, else `visitorPrefix` + the visitor id; counted in the arm of their
   * first list. Their orders are the order.placed purchases recorded since
   * (interest_event), priced from the order's line items.
   */
  async exposures(experimentId: string, currencyCode: string | null, visitorPrefix: string): Promise<ExposureRow[]> {
    return await this.query(
      `WITH imp AS (
         SELECT i."arm", i."created_at", COALESCE(i."customer_id", l."customer_id", $3 || i."visitor_id") AS shopper
         FROM "interest_impression" i
         LEFT JOIN "interest_visitor_link" l ON i."customer_id" IS NULL AND l."visitor_id" = i."visitor_id"
         WHERE i."experiment_id" = $1 AND i."arm" IS NOT NULL AND (i."customer_id" IS NOT NULL OR i."visitor_id" IS NOT NULL)
       ), firsts AS (
         SELECT DISTINCT ON (shopper) shopper, "arm", "created_at" AS exposed_at FROM imp ORDER BY shopper, "created_at", "arm"
       ), orders AS (
         SELECT f.shopper, e."source_order_id" AS order_id, min(e."occurred_at") AS placed_at,
                CASE WHEN bool_and(o."currency_code" = $2) THEN COALESCE(sum(li."unit_price" * li."quantity"), 0)::float8 END AS revenue
         FROM firsts f
         JOIN "interest_event" e ON e."customer_id" = f.shopper AND e."type" = 'purchase'
           AND e."source_order_id" IS NOT NULL AND e."occurred_at" >= f.exposed_at
         JOIN "order" o ON o."id" = e."source_order_id"
         LEFT JOIN "line_item" li ON li."id" = split_part(e."client_event_id", ':', 3) AND li."order_id" = o."id"
         GROUP BY f.shopper, e."source_order_id"
       )
       SELECT f.shopper, f."arm", (extract(epoch FROM f.exposed_at) * 1000)::float8 AS exposed_at,
              COALESCE(json_agg(json_build_object('at', (extract(epoch FROM o.placed_at) * 1000)::float8, 'revenue', o.revenue))
                FILTER (WHERE o.order_id IS NOT NULL), '[]'::json) AS orders
       FROM firsts f LEFT JOIN orders o USING (shopper)
       GROUP BY f.shopper, f."arm", f.exposed_at`,
      [experimentId, currencyCode, visitorPrefix]
    )
  },

  /**
   * Per arm: lists served, products clicked in them (a repeated click on the
   * same product of the same list once), add-to-carts, and the purchases whose
   * last click or add-to-cart of that product within `windowDays` before it
   * was in one of the arm's lists (last touch over every placement, so a
   * purchase is credited once).
   */
  async activityByArm(experimentId: string, windowDays: number, currencyCode: string | null): Promise<ArmActivityRow[]> {
    return await this.query(
      `WITH imp AS (
         SELECT "id", "arm" FROM "interest_impression" WHERE "experiment_id" = $1 AND "arm" IS NOT NULL
       ), shown AS (
         SELECT "arm", count(*)::int AS impressions FROM imp GROUP BY "arm"
       ), touches AS (
         SELECT e."type", e."customer_id", e."product_id", e."recommendation_id", imp."arm"
         FROM "interest_event" e JOIN imp ON imp."id" = e."recommendation_id"
         WHERE e."type" IN ('click', 'add_to_cart')
       ), acted AS (
         SELECT "arm",
                count(DISTINCT ("recommendation_id", "product_id")) FILTER (WHERE "type" = 'click')::int AS clicks,
                count(*) FILTER (WHERE "type" = 'add_to_cart')::int AS add_to_carts
         FROM touches GROUP BY "arm"
       ), last_touch AS (
         SELECT DISTINCT ON (p."id") p."id", p."source_order_id", p."client_event_id", i."experiment_id", i."arm"
         FROM "interest_event" p
         JOIN "interest_event" t ON t."customer_id" = p."customer_id" AND t."product_id" = p."product_id"
           AND t."type" IN ('click', 'add_to_cart') AND t."recommendation_id" IS NOT NULL
           AND p."occurred_at" >= t."occurred_at" AND p."occurred_at" <= t."occurred_at" + make_interval(days => $2)
         JOIN "interest_impression" i ON i."id" = t."recommendation_id"
         WHERE p."type" = 'purchase' AND p."customer_id" IN (SELECT "customer_id" FROM touches WHERE "customer_id" IS NOT NULL)
         ORDER BY p."id", t."occurred_at" DESC, t."id" DESC
       ), bought AS (
         SELECT a."arm", count(DISTINCT a."source_order_id")::int AS orders, count(*)::int AS purchases,
                COALESCE(sum(li."unit_price" * li."quantity") FILTER (WHERE o."currency_code" = $3), 0)::float8 AS revenue
         FROM last_touch a
         LEFT JOIN "order" o ON o."id" = a."source_order_id"
         LEFT JOIN "line_item" li ON li."id" = split_part(a."client_event_id", ':', 3) AND li."order_id" = a."source_order_id"
         WHERE a."experiment_id" = $1
         GROUP BY a."arm"
       )
       SELECT s."arm", s.impressions, COALESCE(a.clicks, 0) AS clicks, COALESCE(a.add_to_carts, 0) AS add_to_carts,
              COALESCE(b.orders, 0) AS orders, COALESCE(b.purchases, 0) AS purchases, COALESCE(b.revenue, 0) AS revenue
       FROM shown s LEFT JOIN acted a USING ("arm") LEFT JOIN bought b USING ("arm")`,
      [experimentId, windowDays, currencyCode]
    )
  },

  /** Products sharing a category shoppers see with any of these (for the popular_in_category control). */
  async productsInCategoriesOf(productIds: string[]): Promise<string[]> {
    if (!productIds.length) return []
    const rows: { product_id: string }[] = await this.query(
      `SELECT DISTINCT pcp."product_id" FROM "product_category_product" pcp
       JOIN "product_category" pc ON pc."id" = pcp."product_category_id" AND ${shopperCategorySql("pc")}
       WHERE pcp."product_category_id" IN (SELECT "product_category_id" FROM "product_category_product" WHERE "product_id" = ANY($1))`,
      [productIds]
    )
    return rows.map((r) => r.product_id)
  },
})

export default InterestExperimentRepository
