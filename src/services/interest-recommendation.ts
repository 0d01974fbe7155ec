import { generateEntityId, Product, ProductService, TransactionBaseService } from "@medusajs/medusa"
import { defaultStoreProductsRelations } from "@medusajs/medusa/dist/api/routes/store/products"
import type PricingService from "@medusajs/medusa/dist/services/pricing"
import { MedusaError } from "medusa-core-utils"
import { EntityManager } from "typeorm"
import { Placement, recommend } from "../engine/pipeline"
import type { EventType, InterestEvent } from "../engine/types"
import { InterestPluginOptions } from "../types/options"
import { humanize, loadInterestNames } from "../utils/interest-names"
import { modelRegistry } from "../utils/model-registry"
import { VISITOR_PREFIX } from "./interest-training"

type InjectedDependencies = {
  manager: EntityManager
  productService: ProductService
  pricingService: PricingService
  interestOptions: InterestPluginOptions
}

export interface RecommendationQuery {
  placement: Placement
  customerId: string | null
  visitorId: string | null
  productId?: string
  limit: number
  exclude: string[]
  salesChannelId: string | null
  regionId?: string
  currencyCode?: string
}

export interface RecommendedProduct {
  product_id: string
  score: number
  reason: string
  reason_code: string
}

export interface RecommendationResult {
  recommendation_id: string
  placement: Placement
  model_version_id: string | null
  segment: { id: string; name: string } | null
  cold: boolean
  items: RecommendedProduct[]
}

const AVAILABLE_TTL_MS = 30_000
const NAMES_TTL_MS = 60_000
const HYDRATE_TAKE = 100_000

/**
 * Serves recommendations: the active model (held in memory by the model
 * registry) ranks products for the shopper, adjusted with what they did since
 * training; business filters apply (published, in the sales channel, not just
 * bought, excluded ids); every served list is recorded as an impression whose
 * id the storefront sends back for attribution. No training on this path.
 */
class InterestRecommendationService extends TransactionBaseService {
  protected readonly productService_: ProductService
  protected readonly pricingService_: PricingService
  protected readonly options_: InterestPluginOptions

  private static available = new Map<string, { at: number; ids: string[] }>()
  private static names: { at: number; map: Map<string, string> } | null = null

  constructor(container: InjectedDependencies) {
    // eslint-disable-next-line prefer-rest-params
    super(arguments[0])
    this.productService_ = container.productService
    this.pricingService_ = container.pricingService
    this.options_ = container.interestOptions
  }

  /**
   * Ranks products for a shopper and placement.
   * @param q - who, where, how many, which filters
   * @return ranked product ids with reasons and the recommendation id
   */
  async recommend(q: RecommendationQuery): Promise<RecommendationResult> {
    const manager = this.activeManager_
    if (q.placement === "related" && !q.productId) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "product_id is required for the related placement.")
    }
    if (q.productId) {
      const [exists] = await manager.query(`SELECT 1 FROM product WHERE id = $1 AND deleted_at IS NULL`, [q.productId])
      if (!exists) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Product with id: ${q.productId} was not found.`)
    }
    const subject = q.customerId ?? (q.visitorId ? `${VISITOR_PREFIX}${q.visitorId}` : undefined)
    const [active, available, names] = await Promise.all([
      modelRegistry.getActive(manager),
      this.availableProducts(q.salesChannelId),
      this.interestNames(),
    ])
    const exclude = new Set(q.exclude)
    if (q.productId) exclude.add(q.productId)
    const [recentEvents, bought] = await Promise.all([
      this.eventsSince(q, active?.trainedAt ?? null),
      this.recentlyBought(q.customerId),
    ])
    bought.forEach((id) => exclude.add(id))

    let items: RecommendedProduct[] = []
    let segment: RecommendationResult["segment"] = null
    let cold = true
    if (active) {
      const result = recommend(active.model, {
        customerId: subject,
        recentEvents,
        placement: q.placement,
        productId: q.productId,
        limit: q.limit,
        exclude: Array.from(exclude),
        restrict: available,
      })
      items = result.items.map((it) => ({
        product_id: it.productId,
        score: it.score,
        reason: humanize(it.reason, names),
        reason_code: it.reasonCode,
      }))
      segment = result.segment ? { id: result.segment.id, name: await this.segmentName(result.segment.id, result.segment.name, names) } : null
      cold = result.cold
    }
    if (items.length < q.limit) {
      // No model yet, or too few candidates: fill from what the shop sells
      // best lately, so a shopper never sees an empty carousel.
      const have = new Set(items.map((i) => i.product_id))
      for (const id of await this.popularFallback(available, q.limit * 2)) {
        if (items.length >= q.limit) break
        if (have.has(id) || exclude.has(id)) continue
        items.push({ product_id: id, score: 0, reason: "Popular in the shop", reason_code: "trending" })
      }
    }
    const recommendationId = generateEntityId(undefined, "irec")
    await manager.query(
      `INSERT INTO interest_impression (id, model_version_id, customer_id, visitor_id, placement, context_id, product_ids)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        recommendationId,
        active?.versionId ?? null,
        q.customerId,
        q.customerId ? null : q.visitorId,
        q.placement,
        q.productId ?? "",
        JSON.stringify(items.map((i) => i.product_id)),
      ]
    )
    return {
      recommendation_id: recommendationId,
      placement: q.placement,
      model_version_id: active?.versionId ?? null,
      segment,
      cold,
      items,
    }
  }

  /**
   * Medusa products for ranked ids, in rank order, priced as `/store/products`
   * prices them when a region or currency is given.
   */
  async hydrate(ids: string[], q: Pick<RecommendationQuery, "regionId" | "currencyCode" | "customerId">): Promise<Product[]> {
    if (!ids.length) return []
    // The ids bound the result; Medusa 1.20's product repository applies `take`
    // before it groups the joined relation rows, so a take of ids.length drops
    // products with several variants. Hence a take far above any list size.
    const [products] = await this.productService_
      .withTransaction(this.activeManager_)
      .listAndCount({ id: ids }, { relations: [...defaultStoreProductsRelations], skip: 0, take: HYDRATE_TAKE })
    if (q.regionId || q.currencyCode) {
      await this.pricingService_.withTransaction(this.activeManager_).setProductPrices(products, {
        region_id: q.regionId,
        currency_code: q.currencyCode,
        customer_id: q.customerId ?? undefined,
        include_discount_prices: true,
      })
    }
    const byId = new Map(products.map((p) => [p.id, p]))
    return ids.map((id) => byId.get(id)).filter((p): p is Product => !!p)
  }

  /** Published products in the channel (all published when no channel). Cached briefly. */
  protected async availableProducts(channelId: string | null): Promise<string[]> {
    const key = channelId ?? "*"
    const hit = InterestRecommendationService.available.get(key)
    if (hit && Date.now() - hit.at < AVAILABLE_TTL_MS) return hit.ids
    const rows: { id: string }[] = channelId
      ? await this.activeManager_.query(
          `SELECT p.id FROM product p JOIN product_sales_channel psc ON psc.product_id = p.id
           WHERE psc.sales_channel_id = $1 AND p.status = 'published' AND p.deleted_at IS NULL ORDER BY p.id`,
          [channelId]
        )
      : await this.activeManager_.query(`SELECT id FROM product WHERE status = 'published' AND deleted_at IS NULL ORDER BY id`)
    const ids = rows.map((r) => r.id)
    InterestRecommendationService.available.set(key, { at: Date.now(), ids })
    return ids
  }

  protected async interestNames(): Promise<Map<string, string>> {
    const cached = InterestRecommendationService.names
    if (cached && Date.now() - cached.at < NAMES_TTL_MS) return cached.map
    const map = await loadInterestNames(this.activeManager_)
    InterestRecommendationService.names = { at: Date.now(), map }
    return map
  }

  protected async segmentName(id: string, fallback: string, names: Map<string, string>): Promise<string> {
    const [row] = await this.activeManager_.query(`SELECT name FROM interest_segment WHERE id = $1`, [id])
    return row?.name ?? humanize(fallback, names)
  }

  /** The shopper's events newer than the model: the model has not seen them yet. */
  protected async eventsSince(q: RecommendationQuery, since: Date | null): Promise<InterestEvent[]> {
    if (!q.customerId && !q.visitorId) return []
    const [column, id] = q.customerId ? ["customer_id", q.customerId] : ["visitor_id", q.visitorId]
    const rows: { product_id: string; type: EventType; at: string; quantity: number }[] = await this.activeManager_.query(
      `SELECT product_id, type, (extract(epoch FROM occurred_at) * 1000)::bigint AS at, quantity FROM (
         SELECT product_id, type, occurred_at, quantity FROM interest_event
         WHERE ${column} = $1 AND created_at > $2 ORDER BY occurred_at DESC LIMIT 200) recent
       ORDER BY occurred_at`,
      [id, since ?? new Date(0)]
    )
    const subject = q.customerId ?? `${VISITOR_PREFIX}${q.visitorId}`
    return rows.map((r) => ({ customerId: subject, productId: r.product_id, type: r.type, timestamp: Number(r.at), quantity: r.quantity }))
  }

  protected async recentlyBought(customerId: string | null): Promise<string[]> {
    if (!customerId || this.options_.excludePurchasedDays <= 0) return []
    const rows: { product_id: string }[] = await this.activeManager_.query(
      `SELECT DISTINCT product_id FROM interest_event
       WHERE customer_id = $1 AND type = 'purchase' AND occurred_at > now() - make_interval(days => $2)`,
      [customerId, this.options_.excludePurchasedDays]
    )
    return rows.map((r) => r.product_id)
  }

  protected async popularFallback(available: string[], n: number): Promise<string[]> {
    const rows: { product_id: string }[] = await this.activeManager_.query(
      `SELECT product_id FROM interest_event WHERE occurred_at > now() - interval '30 days' AND product_id = ANY($1)
       GROUP BY product_id ORDER BY sum(CASE type WHEN 'purchase' THEN 8 WHEN 'add_to_cart' THEN 4 ELSE 1 END) DESC, product_id LIMIT $2`,
      [available, n]
    )
    const ids = rows.map((r) => r.product_id)
    return ids.length >= n ? ids : [...ids, ...available.filter((id) => !ids.includes(id)).slice(0, n - ids.length)]
  }
}

export default InterestRecommendationService
