import { CustomerGroupService, EventBusService, TransactionBaseService } from "@medusajs/medusa"
import { MedusaError } from "medusa-core-utils"
import { EntityManager } from "typeorm"
import { ATTRIBUTION_WINDOW_DAYS, type InterestPluginOptions } from "../options/plugin-options"
import type { PlacementStats } from "../types/placement-stats"
import type { ProductContributors } from "../types/product-contributors"
import { visitorSubject } from "../types/events"
import { modelRegistry } from "../runtime/model-registry"
import { impressionBuffer } from "../runtime/impression-buffer"
import { predictedInterests, PredictedInterests } from "../engine/pipeline/predicted-interests"
import { segmentMembership } from "../engine/pipeline/segment-mixture"
import { humanize } from "../engine/util/humanize"
import InterestRecommendationService from "./interest-recommendation"
import { InterestOptOutRepository } from "../repositories/interest-opt-out"
import { InterestVisitorLinkRepository } from "../repositories/interest-visitor-link"
import { InterestNameRepository } from "../repositories/interest-name"
import { InterestModelVersionRepository } from "../repositories/interest-model-version"
import { InterestErasureRepository } from "../repositories/interest-erasure"
import {
  CustomerRecommendationList,
  CustomerSegmentSummary,
  InterestInsightsRepository,
  ProfileRow,
} from "../repositories/interest-insights"
import { CatalogRepository } from "../repositories/catalog"
import { ShopRepository } from "../repositories/shop"

export type { CustomerRecommendationList, CustomerSegmentSummary, PlacementStats, ProductContributors }

type InjectedDependencies = {
  manager: EntityManager
  eventBusService: EventBusService
  customerGroupService: CustomerGroupService
  interestOptOutRepository: typeof InterestOptOutRepository
  interestVisitorLinkRepository: typeof InterestVisitorLinkRepository
  interestNameRepository: typeof InterestNameRepository
  interestModelVersionRepository: typeof InterestModelVersionRepository
  interestErasureRepository: typeof InterestErasureRepository
  interestInsightsRepository: typeof InterestInsightsRepository
  catalogRepository: typeof CatalogRepository
  shopRepository: typeof ShopRepository
  interestOptions: InterestPluginOptions
}

/** One interest with its display name and weight. */
export interface NamedInterest {
  id: string
  name: string | null
  weight: number
}

/** A customer's interests over one dimension for one period. */
export interface ProfilePoint extends ProfileRow {
  /** The strongest interests, named, heaviest first. */
  top_interests: NamedInterest[]
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
  /**
   * Soft membership P(segment | customer) in the active model, most likely first
   * (segments/mixture.ts); null when the model does not know the customer.
   */
  segment_mixture: { id: string; name: string; probability: number }[] | null
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
  protected readonly interestErasureRepository_: typeof InterestErasureRepository
  protected readonly interestInsightsRepository_: typeof InterestInsightsRepository
  protected readonly catalogRepository_: typeof CatalogRepository
  protected readonly shopRepository_: typeof ShopRepository

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
    this.interestErasureRepository_ = container.interestErasureRepository
    this.interestInsightsRepository_ = container.interestInsightsRepository
    this.catalogRepository_ = container.catalogRepository
    this.shopRepository_ = container.shopRepository
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
    const insights = manager.withRepository(this.interestInsightsRepository_)
    const customer = await manager.withRepository(this.shopRepository_).customer(customerId)
    if (!customer) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Customer with id: ${customerId} was not found.`)
    }
    const activeModelId = await insights.activeModelId()
    const profiles = await insights.customerProfiles(customerId, config.limit ?? 104, config.period)
    const [timeline, segment, recommendations, optedOut] = await Promise.all([
      this.withTopInterests(profiles, manager),
      insights.segmentOf(customerId, activeModelId),
      activeModelId ? insights.customerRecommendations(activeModelId, customerId) : Promise.resolve([]),
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
      segment_mixture: optedOut ? null : await this.segmentMixture(customerId, manager),
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
    const insights = manager.withRepository(this.interestInsightsRepository_)
    const activeModelId = await insights.activeModelId()
    const profiles = await insights.latestProfiles(customerId)
    const [named, segment, optedOut] = await Promise.all([
      this.withTopInterests(profiles, manager),
      insights.segmentOf(customerId, activeModelId),
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
   * The opt-out list keeps digests only (repositories/sql/opt-out-key.ts), and refuses their
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
      const erasure = manager.withRepository(this.interestErasureRepository_)
      visitors = (await erasure.visitorIdsOf(customerId)).sort()
      const subjects = [customerId, ...visitors.map(visitorSubject)]
      impressionBuffer.forget(customerId, visitors)
      // Opt out first: a concurrent writer then sees it and stores nothing more.
      await manager.withRepository(this.interestOptOutRepository_).optOut(subjects, reason)
      const memberships = await erasure.deleteMemberships(customerId)
      // Synced customer groups hold copies of segment membership: remove the
      // customer from every group linked to a segment, through Medusa's service.
      const groups = await erasure.syncedGroupsOf(customerId)
      const groupService = this.customerGroupService_.withTransaction(manager)
      for (const group of groups) {
        await groupService.removeCustomer(group, [customerId])
      }
      const erased: ErasureCounts = {
        events: await erasure.deleteEvents(customerId, visitors),
        profiles: await erasure.deleteProfiles(subjects),
        segment_memberships: memberships,
        recommendations: await erasure.deleteRecommendations(subjects),
        impressions: await erasure.deleteImpressions(customerId, visitors),
        customer_groups: groups.length,
        visitor_ids: visitors.length,
        model_versions: await manager.withRepository(this.interestModelVersionRepository_).forgetSubjects(subjects),
      }
      await erasure.deleteVisitorLinks(customerId, visitors)
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
    const rows = await this.activeManager_
      .withRepository(this.interestInsightsRepository_)
      .placementCounts(from, to, ATTRIBUTION_WINDOW_DAYS, productId)
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
    const product = await this.activeManager_.withRepository(this.catalogRepository_).productTitle(productId)
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
    const rows = await this.activeManager_
      .withRepository(this.interestInsightsRepository_)
      .contributorStats(from, to, this.options_.eventWeights, SUSPICIOUS_RULE, {
        productId: config.productId ?? null,
        limit: config.productId ? 1 : config.limit ?? 20,
      })
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

  /** The customer's soft segment membership in the active model, segments named. */
  protected async segmentMixture(customerId: string, manager: EntityManager): Promise<CustomerInsights["segment_mixture"]> {
    const active = await modelRegistry.getActive(manager)
    const shares = active ? segmentMembership(active.model, customerId) : null
    if (!shares) return null
    const names = await manager.withRepository(this.interestNameRepository_).interestNames()
    const segments = new Map(active!.model.artifacts.segments.list.map((s) => [s.id, humanize(s.name, names)]))
    return shares.map((s) => ({ id: s.id, name: segments.get(s.id) ?? s.id, probability: s.probability }))
  }

  /**
   * @param customerId - an id
   * @return whether it is a customer's, soft-deleted customers included (they can still be erased)
   */
  async isCustomer(customerId: string): Promise<boolean> {
    return await this.activeManager_.withRepository(this.shopRepository_).wasCustomer(customerId)
  }

  /**
   * @param customerId - a customer id
   * @return whether they opted out of interest tracking (or were erased)
   */
  async isOptedOut(customerId: string, manager: EntityManager = this.activeManager_): Promise<boolean> {
    return (await manager.withRepository(this.interestOptOutRepository_).optedOut([customerId])).size > 0
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
    const names = await manager.withRepository(this.interestInsightsRepository_).categoryNames(ids)
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

export default InterestInsightsService
