import { CustomerGroupService, EventBusService, TransactionBaseService } from "@medusajs/medusa"
import { MedusaError } from "medusa-core-utils"
import { EntityManager } from "typeorm"
import { eventWeightTable } from "../engine/profiles/weights"
import { EVENT_TYPES } from "../engine/types"
import type { InterestPluginOptions } from "../options/plugin-options"
import type { PlacementStats } from "../types/placement-stats"
import type { ProductContributors } from "../types/product-contributors"
import { visitorSubject } from "../types/events"
import { modelRegistry } from "../runtime/model-registry"
import { impressionBuffer } from "../runtime/impression-buffer"
import { predictedInterests, PredictedInterests } from "../engine/pipeline/predicted-interests"
import InterestRecommendationService from "./interest-recommendation"
import { InterestOptOutRepository } from "../repositories/interest-opt-out"
import { InterestVisitorLinkRepository } from "../repositories/interest-visitor-link"
import { InterestNameRepository } from "../repositories/interest-name"
import { InterestModelVersionRepository } from "../repositories/interest-model-version"

export type { PlacementStats, ProductContributors }

type InjectedDependencies = {
  manager: EntityManager
  eventBusService: EventBusService
  customerGroupService: CustomerGroupService
  interestOptOutRepository: typeof InterestOptOutRepository
  interestVisitorLinkRepository: typeof InterestVisitorLinkRepository
  interestNameRepository: typeof InterestNameRepository
  interestModelVersionRepository: typeof InterestModelVersionRepository
  interestOptions: InterestPluginOptions
}

/** One interest with its display name and weight. */
export interface NamedInterest {
  id: string
  name: string | null
  weight: number
}

/** A customer's interests over one dimension for one period. */
export interface ProfilePoint {
  dimension: string
  period: string
  period_start: Date
  event_count: number
  model_version_id: string | null
  /** { interest id: weight } */
  vector: Record<string, number>
  /** The strongest interests, named, heaviest first. */
  top_interests: NamedInterest[]
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

export interface CustomerInsights {
  customer_id: string
  customer: { email: string; first_name: string | null; last_name: string | null }
  active_model_id: string | null
  timeline: ProfilePoint[]
  segment: CustomerSegmentSummary | null
  recommendations: CustomerRecommendationList[]
  /** Next-period interests (the sequence model's, else the decayed profile); null when the model does not know them. */
  predicted: PredictedInterests | null
  opted_out: boolean
}

export interface ErasureCounts {
  events: number
  profiles: number
  segment_memberships: number
  recommendations: number
  impressions: number
  customer_groups: number
  /** Visitor ids linked to the customer, erased and opted out with them. */
  visitor_ids: number
  /** Stored model versions whose artifacts and metrics were rewritten without them. */
  model_versions: number
}

/** Days after a click or add-to-cart in which a purchase of the same product is credited to it. */
export const ATTRIBUTION_WINDOW_DAYS = 7

/**
 * When a product's signal is flagged as suspicious: one shopper holds more than
 * half of it and sent at least SUSPICIOUS_TOP_1_MIN_EVENTS events, or the 10
 * heaviest shoppers hold more than 80 % of it and sent at least
 * SUSPICIOUS_TOP_10_MIN_EVENTS events together. A product that is popular with
 * many shoppers spreads its signal; a product few shoppers looked at a few
 * times each lacks the volume. A flag asks the merchant to look, it changes
 * nothing by itself.
 */
export const SUSPICIOUS_RULE = {
  top1Share: 0.5,
  top1MinEvents: 20,
  top10Share: 0.8,
  top10MinEvents: 200,
} as const
const TOP_INTERESTS = 5

/**
 * What the plugin knows about one customer (interest timeline, segment,
 * precomputed recommendations), how placements perform, and the customer's
 * right to have all of it erased.
 */
class InterestInsightsService extends TransactionBaseService {
  static readonly Events = {
    CUSTOMER_ERASED: "interest.customer_erased",
  }

  protected readonly eventBus_: EventBusService
  protected readonly customerGroupService_: CustomerGroupService
  protected readonly options_: InterestPluginOptions

  protected readonly interestOptOutRepository_: typeof InterestOptOutRepository
  protected readonly interestVisitorLinkRepository_: typeof InterestVisitorLinkRepository
  protected readonly interestNameRepository_: typeof InterestNameRepository
  protected readonly interestModelVersionRepository_: typeof InterestModelVersionRepository

  constructor(container: InjectedDependencies) {
    // eslint-disable-next-line prefer-rest-params
    super(arguments[0])
    this.eventBus_ = container.eventBusService
    this.customerGroupService_ = container.customerGroupService
    this.options_ = container.interestOptions
    this.interestOptOutRepository_ = container.interestOptOutRepository
    this.interestVisitorLinkRepository_ = container.interestVisitorLinkRepository
    this.interestNameRepository_ = container.interestNameRepository
    this.interestModelVersionRepository_ = container.interestModelVersionRepository
  }

  /**
   * Everything about one customer for the admin.
   * @param customerId - a customer id
   * @param config - `period` to keep one period length; `limit` most recent profiles (default 104)
   * @return timeline (oldest first), segment, recommendations of the active model
   */
  async retrieveCustomer(
    customerId: string,
    config: { period?: string; limit?: number } = {}
  ): Promise<CustomerInsights> {
    const manager = this.activeManager_
    const [customer] = (await manager.query(
      `SELECT "id", "email", "first_name", "last_name" FROM "customer" WHERE "id" = $1 AND "deleted_at" IS NULL`,
      [customerId]
    )) as { id: string; email: string; first_name: string | null; last_name: string | null }[]
    if (!customer) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Customer with id: ${customerId} was not found.`)
    }
    const activeModelId = await this.activeModelId(manager)
    const params: unknown[] = [customerId, config.limit ?? 104]
    const periodFilter = config.period ? `AND "period" = $${params.push(config.period)}` : ""
    const profiles: ProfileRow[] = await manager.query(
      `SELECT * FROM (
         SELECT "dimension", "period", "period_start", "event_count", "model_version_id", "vector"
         FROM "interest_profile"
         WHERE "subject_id" = $1 AND "subject_type" = 'customer' ${periodFilter}
         ORDER BY "period_start" DESC, "period" ASC, "dimension" ASC
         LIMIT $2
       ) p ORDER BY "period_start" ASC, "period" ASC, "dimension" ASC`,
      params
    )
    const [timeline, segment, recommendations, optedOut] = await Promise.all([
      this.withTopInterests(profiles, manager),
      this.segmentOf(customerId, activeModelId, manager),
      activeModelId
        ? (manager.query(
            `SELECT "id", "placement", "context_id", "items", "created_at" FROM "interest_recommendation"
             WHERE "model_version_id" = $1 AND "subject_id" = $2 ORDER BY "placement", "context_id"`,
            [activeModelId, customerId]
          ) as Promise<CustomerRecommendationList[]>)
        : Promise.resolve([]),
      this.isOptedOut(customerId, manager),
    ])
    return {
      customer_id: customer.id,
      customer: { email: customer.email, first_name: customer.first_name, last_name: customer.last_name },
      active_model_id: activeModelId,
      timeline,
      segment,
      recommendations,
      // An erased customer is unknown to the model; one who opted out is not predicted either.
      predicted: optedOut ? null : await this.predicted(customerId, manager),
      opted_out: optedOut,
    }
  }

  /**
   * A customer's own view: the newest profile of each dimension and period length.
   * @param customerId - the logged-in customer
   * @return latest profiles, segment, opt-out state
   */
  async retrieveOwn(customerId: string): Promise<{
    customer_id: string
    profiles: ProfilePoint[]
    segment: { id: string; name: string } | null
    predicted: PredictedInterests | null
    opted_out: boolean
  }> {
    const manager = this.activeManager_
    const activeModelId = await this.activeModelId(manager)
    const profiles: ProfileRow[] = await manager.query(
      `SELECT DISTINCT ON ("dimension", "period")
              "dimension", "period", "period_start", "event_count", "model_version_id", "vector"
       FROM "interest_profile"
       WHERE "subject_id" = $1 AND "subject_type" = 'customer'
       ORDER BY "dimension", "period", "period_start" DESC`,
      [customerId]
    )
    const [named, segment, optedOut] = await Promise.all([
      this.withTopInterests(profiles, manager),
      this.segmentOf(customerId, activeModelId, manager),
      this.isOptedOut(customerId, manager),
    ])
    return {
      customer_id: customerId,
      profiles: named,
      segment: segment ? { id: segment.id, name: segment.name } : null,
      // An erased customer is unknown to the model; one who opted out is not predicted either.
      predicted: optedOut ? null : await this.predicted(customerId, manager),
      opted_out: optedOut,
    }
  }

  /**
   * Erases everything the plugin holds about a customer and every visitor id
   * linked to them (identified into them, or sent on their own events), and
   * opts them all out, in one transaction:
   *   - rows: events (the customer's, and the visitor ids' anonymous ones; other
   *     customers' events lose the visitor id), profiles, segment memberships
   *     (and the synced customer groups' copies), precomputed lists,
   *     impressions, visitor links;
   *   - every stored model version's artifacts and metrics (engine
   *     `forgetCustomers`): the model then treats them as unknown shoppers;
   *   - the model held in memory: this process reloads it before answering,
   *     other processes within the registry's re-check (3 s), as the rewritten
   *     version's `updated_at` moved; rankings kept in memory are dropped, queued
   *     impressions of theirs are never written.
   * The opt-out list keeps digests only (utils/opt-out.ts), and refuses their
   * later events.
   * @param customerId - the customer
   * @param reason - stored with the opt-out
   * @return how many rows of each kind were deleted, and how many visitor ids and model versions were erased
   */
  async eraseCustomer(customerId: string, reason: string | null = null): Promise<ErasureCounts> {
    let visitors: string[] = []
    const counts = await this.atomicPhase_(async (manager) => {
      // One erasure or identify of this customer at a time: no visitor id is linked to them halfway through.
      await manager.withRepository(this.interestVisitorLinkRepository_).lockCustomer(customerId)
      const linked: { visitor_id: string }[] = await manager.query(
        `SELECT "visitor_id" FROM "interest_visitor_link" WHERE "customer_id" = $1
         UNION
         SELECT DISTINCT e."visitor_id" FROM "interest_event" e
         WHERE e."customer_id" = $1 AND e."visitor_id" IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM "interest_visitor_link" l WHERE l."visitor_id" = e."visitor_id" AND l."customer_id" <> $1)`,
        [customerId]
      )
      visitors = linked.map((r) => r.visitor_id).sort()
      const subjects = [customerId, ...visitors.map(visitorSubject)]
      impressionBuffer.forget(customerId, visitors)
      // Opt out first: a concurrent writer then sees it and stores nothing more.
      await manager.withRepository(this.interestOptOutRepository_).optOut(subjects, reason)
      // TypeORM answers a DELETE or UPDATE with [rows, affected count].
      const count = async (text: string, params: unknown[]): Promise<number> => {
        const [, affected]: [unknown[], number] = await manager.query(text, params)
        return affected
      }
      const [memberships]: [{ segment_id: string }[], number] = await manager.query(
        `DELETE FROM "interest_segment_member" m USING "interest_segment" s
         WHERE m."customer_id" = $1 AND s."id" = m."segment_id"
         RETURNING m."segment_id"`,
        [customerId]
      )
      if (memberships.length) {
        await manager.query(
          `UPDATE "interest_segment" SET "size" = GREATEST("size" - 1, 0), "updated_at" = now() WHERE "id" = ANY($1)`,
          [memberships.map((m) => m.segment_id)]
        )
      }
      // Synced customer groups hold copies of segment membership: remove the
      // customer from every group linked to a segment, through Medusa's service.
      const groups: { customer_group_id: string }[] = await manager.query(
        `SELECT DISTINCT cgc."customer_group_id" FROM "customer_group_customers" cgc
         JOIN "interest_segment" s ON s."customer_group_id" = cgc."customer_group_id"
         WHERE cgc."customer_id" = $1`,
        [customerId]
      )
      const groupService = this.customerGroupService_.withTransaction(manager)
      for (const g of groups) {
        await groupService.removeCustomer(g.customer_group_id, [customerId])
      }
      const events = await count(
        `DELETE FROM "interest_event" WHERE "customer_id" = $1 OR ("customer_id" IS NULL AND "visitor_id" = ANY($2))`,
        [customerId, visitors]
      )
      // Another customer's events sent with one of these visitor ids (a shared device) stay theirs, without it.
      await manager.query(`UPDATE "interest_event" SET "visitor_id" = NULL, "updated_at" = now() WHERE "visitor_id" = ANY($1)`, [visitors])
      const erased: ErasureCounts = {
        events,
        profiles: await count(`DELETE FROM "interest_profile" WHERE "subject_id" = ANY($1)`, [subjects]),
        segment_memberships: memberships.length,
        recommendations: await count(`DELETE FROM "interest_recommendation" WHERE "subject_id" = ANY($1)`, [subjects]),
        impressions: await count(`DELETE FROM "interest_impression" WHERE "customer_id" = $1 OR "visitor_id" = ANY($2)`, [
          customerId,
          visitors,
        ]),
        customer_groups: groups.length,
        visitor_ids: visitors.length,
        model_versions: await manager.withRepository(this.interestModelVersionRepository_).forgetSubjects(subjects),
      }
      await manager.query(`DELETE FROM "interest_visitor_link" WHERE "customer_id" = $1 OR "visitor_id" = ANY($2)`, [customerId, visitors])
      await this.eventBus_
        .withTransaction(manager)
        .emit(InterestInsightsService.Events.CUSTOMER_ERASED, { customer_id: customerId })
      return erased
    })
    // Committed: serve from what is stored now, at once.
    InterestRecommendationService.forgetRankings()
    impressionBuffer.forget(customerId, visitors)
    await modelRegistry.reload(this.manager_)
    return counts
  }

  /**
   * How each placement performed for the lists served in [from, to):
   *   impressions  = lists served (interest_impression rows created in the window)
   *   clicks       = products clicked in those lists: click events carrying the recommendation
   *                  id of one of them, a repeated click on the same product of the same list once
   *   add_to_carts = likewise for add_to_cart events
   *   purchases    = purchase events of the same customer and product within
   *                  ATTRIBUTION_WINDOW_DAYS after such a click or add-to-cart;
   *                  last touch wins, so a purchase is credited to one placement only
   *   ctr          = clicks / impressions,  conversion = purchases / impressions  (0 when no impressions)
   * Outcomes are counted for the impressions of the window (a cohort), even when
   * the click or purchase itself happened after `to`.
   * @param from - start of the window (inclusive)
   * @param to - end of the window (exclusive)
   * @param productId - count only this product: the lists that showed it, and its clicks, add-to-carts and purchases
   * @return one row per placement with impressions, by placement name
   */
  async placementStats(from: Date, to: Date, productId: string | null = null): Promise<{ placements: PlacementStats[]; totals: Omit<PlacementStats, "placement"> }> {
    const rows: Omit<PlacementStats, "ctr" | "conversion">[] = await this.activeManager_.query(
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
      [from, to, ATTRIBUTION_WINDOW_DAYS, productId]
    )
    const withRatios = (r: Omit<PlacementStats, "ctr" | "conversion" | "placement">) => ({
      ...r,
      ctr: r.impressions ? r.clicks / r.impressions : 0,
      conversion: r.impressions ? r.purchases / r.impressions : 0,
    })
    const sum = rows.reduce(
      (acc, r) => ({
        impressions: acc.impressions + r.impressions,
        clicks: acc.clicks + r.clicks,
        add_to_carts: acc.add_to_carts + r.add_to_carts,
        purchases: acc.purchases + r.purchases,
      }),
      { impressions: 0, clicks: 0, add_to_carts: 0, purchases: 0 }
    )
    return { placements: rows.map((r) => ({ placement: r.placement, ...withRatios(r) })), totals: withRatios(sum) }
  }

  /**
   * Who the interest signal of one product comes from over [from, to).
   * @param productId - a product id
   * @param from - start of the window (inclusive, on occurred_at)
   * @param to - end of the window (exclusive)
   * @return its contributors (all zero without events in the window)
   * @throws MedusaError NOT_FOUND for an unknown or deleted product
   */
  async productContributors(productId: string, from: Date, to: Date): Promise<ProductContributors> {
    const [product]: { id: string; title: string }[] = await this.activeManager_.query(
      `SELECT "id", "title" FROM "product" WHERE "id" = $1 AND "deleted_at" IS NULL`,
      [productId]
    )
    if (!product) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Product with id: ${productId} was not found.`)
    const [row] = await this.contributorStats_(from, to, { productId })
    return (
      row ?? {
        product_id: product.id,
        title: product.title,
        signal: 0,
        events: 0,
        shoppers: 0,
        customers: 0,
        visitors: 0,
        top_1_share: 0,
        top_10_share: 0,
        top_1_events: 0,
        top_10_events: 0,
        suspicious: false,
        suspicious_reasons: [],
        top_contributors: [],
      }
    )
  }

  /**
   * The products whose signal over [from, to) SUSPICIOUS_RULE flags, heaviest signal first.
   * @param from - start of the window (inclusive, on occurred_at)
   * @param to - end of the window (exclusive)
   * @param limit - most products returned
   * @return the flagged products with their contributors
   */
  async suspiciousProducts(from: Date, to: Date, limit = 20): Promise<ProductContributors[]> {
    return await this.contributorStats_(from, to, { limit })
  }

  /**
   * Per product over [from, to): the event-weighted signal (the shop's
   * eventWeights, as in training), the distinct shoppers (a customer by id, an
   * anonymous visitor by visitor id), the share of the heaviest 1 and 10
   * shoppers, and the SUSPICIOUS_RULE flag.
   *   signal      = sum over the product's events of weight(type)
   *   top_k_share = signal of the k heaviest shoppers / signal  (0 without signal)
   * With `productId`, that product's row (none without events); else the
   * flagged products only, heaviest signal first, at most `limit`.
   */
  protected async contributorStats_(
    from: Date,
    to: Date,
    config: { productId?: string; limit?: number }
  ): Promise<ProductContributors[]> {
    const weights = Array.from(eventWeightTable(this.options_.eventWeights))
    const rule = SUSPICIOUS_RULE
    const rows: (Omit<ProductContributors, "suspicious_reasons" | "suspicious"> & { top_1_flag: boolean; top_10_flag: boolean })[] =
      await this.activeManager_.query(
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
          weights,
          config.productId ?? null,
          rule.top1Share,
          rule.top1MinEvents,
          rule.top10Share,
          rule.top10MinEvents,
          config.productId ? 1 : config.limit ?? 20,
        ]
      )
    return rows.map(({ top_1_flag, top_10_flag, top_contributors, ...r }) => {
      const reasons: ProductContributors["suspicious_reasons"] = []
      if (top_1_flag) reasons.push("top_1_share")
      if (top_10_flag) reasons.push("top_10_share")
      return {
        ...r,
        suspicious: reasons.length > 0,
        suspicious_reasons: reasons,
        top_contributors: top_contributors.map((c) => ({ ...c, share: r.signal > 0 ? c.signal / r.signal : 0 })),
      }
    })
  }

  /** Next period's interests of a customer from the active model. */
  protected async predicted(customerId: string, manager: EntityManager): Promise<PredictedInterests | null> {
    const active = await modelRegistry.getActive(manager)
    return active ? predictedInterests(active.model, customerId, await manager.withRepository(this.interestNameRepository_).interestNames()) : null
  }

  /**
   * @param customerId - a customer id
   * @return whether they opted out of interest tracking (or were erased)
   */

  async isOptedOut(customerId: string, manager: EntityManager = this.activeManager_): Promise<boolean> {
    return (await manager.withRepository(this.interestOptOutRepository_).optedOut([customerId])).size > 0
  }

  private async activeModelId(manager: EntityManager): Promise<string | null> {
    const rows: { id: string }[] = await manager.query(
      `SELECT "id" FROM "interest_model_version" WHERE "is_active" AND "deleted_at" IS NULL LIMIT 1`
    )
    return rows[0]?.id ?? null
  }

  /** The customer's live segment; the active model's assignment wins if several remain. */
  private async segmentOf(
    customerId: string,
    activeModelId: string | null,
    manager: EntityManager
  ): Promise<CustomerSegmentSummary | null> {
    const rows: CustomerSegmentSummary[] = await manager.query(
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
  }

  /** Adds the named top interests to profile rows (category names for the category dimension). */
  private async withTopInterests(rows: ProfileRow[], manager: EntityManager): Promise<ProfilePoint[]> {
    const tops = rows.map((r) =>
      Object.entries(r.vector ?? {})
        .filter(([, w]) => typeof w === "number" && w > 0)
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, TOP_INTERESTS)
    )
    const ids = Array.from(new Set(tops.flat().map(([id]) => id)))
    const names = new Map<string, string>()
    if (ids.length) {
      const found: { id: string; name: string }[] = await manager.query(
        `SELECT "id", "name" FROM "product_category" WHERE "id" = ANY($1)`,
        [ids]
      )
      found.forEach((f) => names.set(f.id, f.name))
    }
    return rows.map((r, i) => ({
      dimension: r.dimension,
      period: r.period,
      period_start: r.period_start,
      event_count: r.event_count,
      model_version_id: r.model_version_id,
      vector: r.vector,
      top_interests: tops[i].map(([id, weight]) => ({
        id,
        name: r.dimension === "category" ? names.get(id) ?? null : null,
        weight,
      })),
    }))
  }
}

type ProfileRow = Omit<ProfilePoint, "top_interests">

export default InterestInsightsService
