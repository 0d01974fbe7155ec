import { dataSource } from "@medusajs/medusa/dist/loaders/database"
import type { ProductContributor, ProductContributors } from "../types/product-contributors"
import type { PlacementStats } from "../types/placement-stats"
import { EVENT_TYPES } from "../engine/types"
import { eventWeightTable, EventWeights } from "../engine/profiles/weights"
import { InterestEvent } from "../models/interest-event"

/** A stored profile row of one customer, dimension and period. */
export interface ProfileRow {
  dimension: string
  period: string
  period_start: Date
  event_count: number
  model_version_id: string | null
  /** { interest id: weight } */
  vector: Record<string, number>
}

export interface CustomerSegmentSummary {
  id: string
  name: string
  auto_name: string
  description: string | null
  status: string
  size: number
  top_interests: unknown[]
  customer_group_id: string | null
  /** Distance of the customer to the segment's centroid. */
  distance: number | null
  model_version_id: string | null
}

export interface CustomerRecommendationList {
  id: string
  placement: string
  context_id: string
  items: unknown[]
  created_at: Date
}

/** When a product's signal is flagged (the insights service's SUSPICIOUS_RULE). */
export interface SuspicionRule {
  top1Share: number
  top1MinEvents: number
  top10Share: number
  top10MinEvents: number
}

/** A product's contributor figures with the rule's two flags, before the shares of each contributor. */
export type ContributorRow = Omit<ProductContributors, "suspicious_reasons" | "suspicious" | "top_contributors"> & {
  top_1_flag: boolean
  top_10_flag: boolean
  top_contributors: Omit<ProductContributor, "share">[]
}

/**
 * The admin's reads over captured behaviour and what training made of it: a
 * customer's profiles, segment and precomputed lists, how placements perform,
 * and who a product's signal comes from.
 */
export const InterestInsightsRepository = dataSource.getRepository(InterestEvent).extend({
  /** @return the id of the active model version, if any */
  async activeModelId(): Promise<string | null> {
    const rows: { id: string }[] = await this.query(
      `SELECT "id" FROM "interest_model_version" WHERE "is_active" AND "deleted_at" IS NULL LIMIT 1`
    )
    return rows[0]?.id ?? null
  },

  /**
   * A customer's `limit` most recent profiles (of one period length when given), oldest first.
   */
  async customerProfiles(customerId: string, limit: number, period?: string): Promise<ProfileRow[]> {
    const params: unknown[] = [customerId, limit]
    const periodFilter = period ? `AND "period" = $${params.push(period)}` : ""
    return await this.query(
      `SELECT * FROM (
         SELECT "dimension", "period", "period_start", "event_count", "model_version_id", "vector"
         FROM "interest_profile"
         WHERE "subject_id" = $1 AND "subject_type" = 'customer' ${periodFilter}
         ORDER BY "period_start" DESC, "period" ASC, "dimension" ASC
         LIMIT $2
       ) p ORDER BY "period_start" ASC, "period" ASC, "dimension" ASC`,
      params
    )
  },

  /** A customer's newest profile of each dimension and period length. */
  async latestProfiles(customerId: string): Promise<ProfileRow[]> {
    return await this.query(
      `SELECT DISTINCT ON ("dimension", "period")
              "dimension", "period", "period_start", "event_count", "model_version_id", "vector"
       FROM "interest_profile"
       WHERE "subject_id" = $1 AND "subject_type" = 'customer'
       ORDER BY "dimension", "period", "period_start" DESC`,
      [customerId]
    )
  },

  /** A customer's precomputed lists of one model version. */
  async customerRecommendations(modelVersionId: string, customerId: string): Promise<CustomerRecommendationList[]> {
    return await this.query(
      `SELECT "id", "placement", "context_id", "items", "created_at" FROM "interest_recommendation"
       WHERE "model_version_id" = $1 AND "subject_id" = $2 ORDER BY "placement", "context_id"`,
      [modelVersionId, customerId]
    )
  },

  /** The customer's live segment; the active model's assignment wins if several remain. */
  async segmentOf(customerId: string, activeModelId: string | null): Promise<CustomerSegmentSummary | null> {
    const rows: CustomerSegmentSummary[] = await this.query(
      `SELECT s."id", s."name", s."auto_name", s."description", s."status", s."size", s."top_interests",
              s."customer_group_id", m."distance", m."model_version_id"
       FROM "interest_segment_member" m
       JOIN "interest_segment" s ON s."id" = m."segment_id" AND s."deleted_at" IS NULL
       WHERE m."customer_id" = $1
       ORDER BY (m."model_version_id" IS NOT DISTINCT FROM $2) DESC, m."created_at" DESC
       LIMIT 1`,
      [customerId, activeModelId]
    )
    return rows[0] ?? null
  },

  /** @return category id -> name, of these ids */
  async categoryNames(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map()
    const rows: { id: string; name: string }[] = await this.query(`SELECT "id", "name" FROM "product_category" WHERE "id" = ANY($1)`, [ids])
    return new Map(rows.map((r) => [r.id, r.name]))
  },

  /**
   * Per placement, for the lists served in [from, to): impressions, clicked
   * products, add-to-carts and purchases attributed within `attributionDays`
   * (last touch). With `productId`, only the lists that showed it and its events.
   * The counting is documented at the insights service's `placementStats`.
   */
  async placementCounts(
    from: Date,
    to: Date,
    attributionDays: number,
    productId: string | null
  ): Promise<Omit<PlacementStats, "ctr" | "conversion">[]> {
    return await this.query(
      `WITH imp AS (
         SELECT "id", "placement" FROM "interest_impression" WHERE "created_at" >= $1 AND "created_at" < $2
           AND ($4::text IS NULL OR "product_ids" @> jsonb_build_array($4::text))
       ), shown AS (
         SELECT "placement", count(*)::int AS "impressions" FROM imp GROUP BY "placement"
       ), touches AS (
         SELECT e."id", e."type", e."customer_id", e."product_id", e."occurred_at", e."recommendation_id", imp."placement"
         FROM "interest_event" e JOIN imp ON imp."id" = e."recommendation_id"
         WHERE e."type" IN ('click', 'add_to_cart') AND ($4::text IS NULL OR e."product_id" = $4::text)
       ), acted AS (
         SELECT "placement",
                count(DISTINCT ("recommendation_id", "product_id")) FILTER (WHERE "type" = 'click')::int AS "clicks",
                count(*) FILTER (WHERE "type" = 'add_to_cart')::int AS "add_to_carts"
         FROM touches GROUP BY "placement"
       ), attributed AS (
         SELECT DISTINCT ON (p."id") p."id", t."placement"
         FROM "interest_event" p
         JOIN touches t ON t."customer_id" = p."customer_id" AND t."product_id" = p."product_id"
           AND p."occurred_at" >= t."occurred_at"
           AND p."occurred_at" <= t."occurred_at" + make_interval(days => $3)
         WHERE p."type" = 'purchase' AND p."customer_id" IS NOT NULL
         ORDER BY p."id", t."occurred_at" DESC, t."id" DESC
       ), bought AS (
         SELECT "placement", count(*)::int AS "purchases" FROM attributed GROUP BY "placement"
       )
       SELECT s."placement", s."impressions",
              COALESCE(a."clicks", 0) AS "clicks", COALESCE(a."add_to_carts", 0) AS "add_to_carts",
              COALESCE(b."purchases", 0) AS "purchases"
       FROM shown s
       LEFT JOIN acted a ON a."placement" = s."placement"
       LEFT JOIN bought b ON b."placement" = s."placement"
       ORDER BY s."placement"`,
      [from, to, attributionDays, productId]
    )
  },

  /**
   * Per product over [from, to): the signal weighted by `weights`, the distinct
   * shoppers, the heaviest 1 and 10 shoppers' shares and events, and the rule's
   * flags. With `productId`, that product's row (none without events); else
   * the flagged products only, heaviest signal first, at most `limit`.
   * The figures are documented at the insights service's `contributorStats_`.
   */
  async contributorStats(
    from: Date,
    to: Date,
    weights: EventWeights,
    rule: SuspicionRule,
    config: { productId: string | null; limit: number }
  ): Promise<ContributorRow[]> {
    return await this.query(
      `WITH ev AS (
         SELECT e."product_id", e."customer_id",
                COALESCE('c:' || e."customer_id", 'v:' || e."visitor_id", '?') AS "shopper", w."weight"
         FROM "interest_event" e
         JOIN unnest($3::text[], $4::float8[]) AS w("type", "weight") ON w."type" = e."type"
         WHERE e."occurred_at" >= $1 AND e."occurred_at" < $2 AND ($5::text IS NULL OR e."product_id" = $5::text)
       ), per_shopper AS (
         SELECT "product_id", "shopper", max("customer_id") AS "customer_id", count(*)::int AS "events", sum("weight") AS "signal"
         FROM ev GROUP BY "product_id", "shopper"
       ), ranked AS (
         SELECT *, row_number() OVER (PARTITION BY "product_id" ORDER BY "signal" DESC, "events" DESC, "shopper") AS "rank"
         FROM per_shopper
       ), per_product AS (
         SELECT "product_id",
                sum("signal")::float8 AS "signal", sum("events")::int AS "events", count(*)::int AS "shoppers",
                count(*) FILTER (WHERE "customer_id" IS NOT NULL)::int AS "customers",
                count(*) FILTER (WHERE "customer_id" IS NULL)::int AS "visitors",
                COALESCE(sum("signal") FILTER (WHERE "rank" = 1), 0)::float8 AS "top_1_signal",
                COALESCE(sum("signal") FILTER (WHERE "rank" <= 10), 0)::float8 AS "top_10_signal",
                COALESCE(sum("events") FILTER (WHERE "rank" = 1), 0)::int AS "top_1_events",
                COALESCE(sum("events") FILTER (WHERE "rank" <= 10), 0)::int AS "top_10_events",
                jsonb_agg(jsonb_build_object(
                  'rank', "rank", 'subject_type', CASE WHEN "customer_id" IS NULL THEN 'visitor' ELSE 'customer' END,
                  'customer_id', "customer_id", 'events', "events", 'signal', "signal"
                ) ORDER BY "rank") FILTER (WHERE "rank" <= 10) AS "top"
         FROM ranked GROUP BY "product_id"
       ), shares AS (
         SELECT *,
                CASE WHEN "signal" > 0 THEN "top_1_signal" / "signal" ELSE 0 END AS "top_1_share",
                CASE WHEN "signal" > 0 THEN "top_10_signal" / "signal" ELSE 0 END AS "top_10_share"
         FROM per_product
       ), flagged AS (
         SELECT *,
                ("top_1_share" > $6 AND "top_1_events" >= $7) AS "top_1_flag",
                ("top_10_share" > $8 AND "top_10_events" >= $9) AS "top_10_flag"
         FROM shares
       )
       SELECT f."product_id", p."title", f."signal", f."events", f."shoppers", f."customers", f."visitors",
              f."top_1_share", f."top_10_share", f."top_1_events", f."top_10_events", f."top_1_flag", f."top_10_flag",
              f."top" AS "top_contributors"
       FROM flagged f LEFT JOIN "product" p ON p."id" = f."product_id"
       WHERE $5::text IS NOT NULL OR f."top_1_flag" OR f."top_10_flag"
       ORDER BY f."signal" DESC, f."product_id"
       LIMIT $10`,
      [
        from,
        to,
        EVENT_TYPES,
        Array.from(eventWeightTable(weights)),
        config.productId,
        rule.top1Share,
        rule.top1MinEvents,
        rule.top10Share,
        rule.top10MinEvents,
        config.limit,
      ]
    )
  },
})

export default InterestInsightsRepository
