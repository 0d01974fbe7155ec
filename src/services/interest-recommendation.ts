import { generateEntityId, Product, ProductService, TransactionBaseService } from "@medusajs/medusa"
import { defaultStoreProductsRelations } from "@medusajs/medusa/dist/api/routes/store/products"
import type PricingService from "@medusajs/medusa/dist/services/pricing"
import { MedusaError } from "medusa-core-utils"
import { EntityManager } from "typeorm"
import { LoadedModel, Placement, recommend } from "../engine/pipeline"
import type { InterestEvent } from "../engine/types"
import { InterestPluginOptions } from "../options/plugin-options"
import { impressionBuffer } from "../runtime/impression-buffer"
import { humanize } from "../engine/util/humanize"
import { servingModel } from "../runtime/serving-model"
import { productCardCache } from "../runtime/product-card-cache"
import InterestProductCardService, { PriceContext } from "./interest-product-card"
import type InterestExperimentService from "./interest-experiment"
import type { ArmAssignment } from "./interest-experiment"
import type InterestExperimentRepository from "../repositories/interest-experiment"
import { VISITOR_PREFIX, visitorSubject } from "../types/events"
import { optOutKey } from "../repositories/sql/opt-out-key"
import { InterestNameRepository } from "../repositories/interest-name"
import { CatalogRepository } from "../repositories/catalog"
import { InterestServingRepository, ShopperKey } from "../repositories/interest-serving"

type InjectedDependencies = {
  manager: EntityManager
  productService: ProductService
  pricingService: PricingService
  interestProductCardService: InterestProductCardService
  catalogRepository: typeof CatalogRepository
  interestNameRepository: typeof InterestNameRepository
  interestExperimentService: InterestExperimentService
  interestExperimentRepository: typeof InterestExperimentRepository
  interestServingRepository: typeof InterestServingRepository
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
  /** Record the list as an impression (default true); false for previews such as the admin's. */
  recordImpression?: boolean
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
  /** The experiment whose arm chose this list, and the arm (null outside experiments). */
  experiment_id: string | null
  arm: string | null
}

/** A served list: the ranking plus each product's store JSON, in rank order. */
export interface ServedRecommendation extends RecommendationResult {
  /** product id -> the product as `/store/products` returns it: UTF-8 JSON without its closing brace. */
  products: Map<string, Buffer>
}

/** Published set per channel: re-read at the latest after this, and at once after a catalogue event. */
const AVAILABLE_TTL_MS = 30_000
const NAMES_TTL_MS = 60_000
const SEGMENTS_TTL_MS = 30_000
const POPULAR_TTL_MS = 60_000
/** The popular list kept in memory, before the channel filter. */
const POPULAR_KEEP = 500
/**
 * A ranking is a pure function of its inputs (model version, published set,
 * placement, product, limit, exclusions, the shopper, their events since
 * training): the same inputs within this time reuse it instead of running the
 * engine again. New events change the inputs, so they are never served stale.
 */
const RANK_MEMO_TTL_MS = 30_000
const RANK_MEMO_MAX = 10_000
const HYDRATE_TAKE = 100_000

type Cached<T> = { at: number; generation: number; value: T }
type Available = { ids: string[]; set: Set<string>; version: number }
type Ranking = Pick<RecommendationResult, "model_version_id" | "segment" | "cold" | "items">
/** Products sharing a category with a product: kept this long per product, for the popular_in_category control. */
const CATEGORY_TTL_MS = 60_000
const CATEGORY_MAX = 2_000

/**
 * Serves recommendations: the active model (held in memory by the model
 * registry) ranks products for the shopper, adjusted with what they did since
 * training; business filters apply (published, in the sales channel, not just
 * bought, excluded ids); every served list is recorded as an impression whose
 * id the storefront sends back for attribution. No training on this path.
 *
 * Per request the database sees one indexed query (the shopper's events since
 * training and purchases of the exclusion window); the published set, names,
 * segments, popular products and the product cards come from memory, and the
 * impression is written in batches off the request path (impression-buffer).
 */
class InterestRecommendationService extends TransactionBaseService {
  protected readonly productService_: ProductService
  protected readonly pricingService_: PricingService
  protected readonly cards_: InterestProductCardService
  protected readonly options_: InterestPluginOptions
  protected readonly experiments_: InterestExperimentService
  protected readonly interestExperimentRepository_: typeof InterestExperimentRepository

  private static available = new Map<string, Cached<Available>>()
  private static availableVersion = 0
  private static rankings = new Map<string, { at: number; value: Ranking }>()
  private static names: Cached<Map<string, string>> | null = null
  private static segments: Cached<Map<string, string>> | null = null
  private static popular: Cached<string[]> | null = null
  private static categoryMates = new Map<string, { at: number; value: Set<string> }>()
  /** Medusa's currency table is fixed reference data (ISO 4217), read once per process. */
  private static currencies: Promise<Set<string>> | null = null

  protected readonly catalogRepository_: typeof CatalogRepository
  protected readonly interestNameRepository_: typeof InterestNameRepository
  protected readonly interestServingRepository_: typeof InterestServingRepository

  constructor(container: InjectedDependencies) {
    // eslint-disable-next-line prefer-rest-params
    super(arguments[0])
    this.productService_ = container.productService
    this.pricingService_ = container.pricingService
    this.cards_ = container.interestProductCardService
    this.options_ = container.interestOptions
    this.experiments_ = container.interestExperimentService
    this.interestExperimentRepository_ = container.interestExperimentRepository
    this.catalogRepository_ = container.catalogRepository
    this.interestNameRepository_ = container.interestNameRepository
    this.interestServingRepository_ = container.interestServingRepository
  }

  /**
   * Ranks products for a shopper and placement, and records the list as an
   * impression (unless `recordImpression` is false).
   * @param query - who, where, how many, which filters
   * @return ranked product ids with reasons and the recommendation id
   */
  async recommend(query: RecommendationQuery): Promise<RecommendationResult> {
    const q = await this.visibleShopper(query)
    const result = await this.rankFor(q, await this.assignment(q))
    if (q.recordImpression !== false) await this.recordImpression(q, result, result.items.map((i) => i.product_id))
    return result
  }

  /**
   * Ranks, then attaches each product's prepared card for the request's region
   * or currency, and records exactly the served list as the impression.
   * A logged-in customer in a customer group with an active price list is priced
   * live through Medusa (a card holds the prices everyone gets).
   * @param query - who, where, how many, which filters, which price context
   * @return the ranking and the products' store JSON
   */
  async serve(query: RecommendationQuery): Promise<ServedRecommendation> {
    const q = await this.visibleShopper(query)
    const ctx: PriceContext = { regionId: q.regionId, currencyCode: q.currencyCode }
    // Prices are the logged-in customer's own, even when their interests are not used.
    const groupPriced = this.hasGroupPrices(query.customerId)
    // Awaited below; this only keeps a failure from being unhandled while ranking runs.
    groupPriced.catch(() => undefined)
    // Cards are shared state written outside any request transaction: the
    // container's card service (no per-request instance).
    const load = async (ids: string[]): Promise<Map<string, Buffer>> =>
      (await groupPriced) && query.customerId && (ctx.regionId || ctx.currencyCode)
        ? await this.cards_.live(ids, ctx, query.customerId)
        : await this.cards_.cards(ids, ctx)
    const assignment = await this.assignment(q)
    let result = await this.rankFor(q, assignment)
    let cards = await load(result.items.map((i) => i.product_id))
    if (result.items.some((i) => !cards.has(i.product_id))) {
      // A ranked product without a card no longer exists: the published set
      // in memory predates its deletion event. Re-read it and rank once more.
      productCardCache.touch()
      result = await this.rankFor(q, assignment)
      cards = await load(result.items.map((i) => i.product_id))
    }
    // Left out of the answer and of the impression alike if it is still missing.
    const items = result.items.filter((i) => cards.has(i.product_id))
    const served = { ...result, items, products: cards }
    if (q.recordImpression !== false) await this.recordImpression(q, served, items.map((i) => i.product_id))
    return served
  }

  /**
   * Medusa products for ranked ids, in rank order, priced as `/store/products`
   * prices them when a region or currency is given (Medusa's services, no card).
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

  /** @param versionId - the model version an experiment arm names; else the active one serves */
  protected async rank(q: RecommendationQuery, versionId: string | null = null): Promise<RecommendationResult> {
    const manager = this.activeManager_
    if (q.placement === "related" && !q.productId) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "product_id is required for the related placement.")
    }
    const subject = q.customerId ?? (q.visitorId ? `${VISITOR_PREFIX}${q.visitorId}` : undefined)
    const [active, available, names] = await Promise.all([
      servingModel(manager, versionId),
      this.availableProducts(q.salesChannelId),
      this.interestNames(),
    ])
    await this.assertProductExists(q, available)
    const exclude = new Set(q.exclude)
    if (q.productId) exclude.add(q.productId)
    const { recentEvents, bought } = await this.shopperEvents(q, active?.trainedAt ?? null)
    bought.forEach((id) => exclude.add(id))
    const memoKey = [
      active ? `${active.versionId}@${active.revision}` : "-",
      available.version,
      q.placement,
      q.productId ?? "",
      q.limit,
      subject ?? "",
      [...exclude].sort().join(","),
      recentEvents.map((e) => `${e.productId}:${e.type}:${e.timestamp}:${e.quantity ?? 1}`).join(","),
    ].join("|")
    const memo = InterestRecommendationService.rankings.get(memoKey)
    const ranking = memo && Date.now() - memo.at < RANK_MEMO_TTL_MS ? memo.value : null
    if (ranking) return { ...ranking, recommendation_id: generateEntityId(undefined, "irec"), placement: q.placement, experiment_id: null, arm: null }

    let items: RecommendedProduct[] = []
    let segment: RecommendationResult["segment"] = null
    let cold = true
    // A product created after training has no related list in the model: its
    // carousel is the popular top-up below, not an error.
    const rankable = q.placement !== "related" || (!!active && trainedProducts(active.model).has(q.productId as string))
    if (active && rankable) {
      const result = recommend(active.model, {
        customerId: subject,
        recentEvents,
        placement: q.placement,
        productId: q.productId,
        limit: q.limit,
        exclude: Array.from(exclude),
        restrict: available.ids,
      })
      items = result.items.map((it) => ({
        product_id: it.productId,
        score: it.score,
        reason: humanize(it.reason, names),
        reason_code: it.reasonCode,
      }))
      segment = result.segment ? { id: result.segment.id, name: await this.segmentName(result.segment.id, result.segment.name, names) } : null
      cold = result.cold
    } else if (q.placement === "recently_viewed") {
      // Needs no model: the shopper's own latest products, newest first.
      const seen = new Set<string>()
      for (let i = recentEvents.length - 1; i >= 0 && items.length < q.limit; i--) {
        const id = recentEvents[i].productId
        if (seen.has(id) || exclude.has(id) || !available.set.has(id)) continue
        seen.add(id)
        items.push({ product_id: id, score: 1, reason: "you viewed this recently", reason_code: "recently_viewed" })
      }
    }
    if (items.length < q.limit && q.placement !== "recently_viewed") {
      // No model yet, or too few candidates: fill from what the shop sells
      // best lately, so a shopper never sees an empty carousel. "Recently
      // viewed" lists only what the shopper viewed: it may be empty.
      const have = new Set(items.map((i) => i.product_id))
      for (const id of await this.popularFallback(available)) {
        if (items.length >= q.limit) break
        if (have.has(id) || exclude.has(id)) continue
        items.push({ product_id: id, score: 0, reason: "Popular in the shop", reason_code: "trending" })
      }
    }
    const value: Ranking = { model_version_id: active?.versionId ?? null, segment, cold, items }
    const memos = InterestRecommendationService.rankings
    if (memos.size >= RANK_MEMO_MAX) memos.delete(memos.keys().next().value as string)
    memos.set(memoKey, { at: Date.now(), value })
    return { ...value, recommendation_id: generateEntityId(undefined, "irec"), placement: q.placement, experiment_id: null, arm: null }
  }

  /** The experiment arm serving this shopper, if an experiment decides the placement (not for previews). */
  protected async assignment(q: RecommendationQuery): Promise<ArmAssignment | null> {
    if (q.recordImpression === false) return null
    return await this.experiments_.assign(q.placement, q.customerId, q.visitorId)
  }

  /** The list an arm serves: the model's, or a control strategy's; tagged with the experiment and arm. */
  protected async rankFor(q: RecommendationQuery, assignment: ArmAssignment | null): Promise<RecommendationResult> {
    const result =
      !assignment || assignment.strategy === "model"
        ? await this.rank(q, assignment?.model_version_id ?? null)
        : await this.rankControl(q, assignment.strategy)
    return { ...result, experiment_id: assignment?.experiment_id ?? null, arm: assignment?.arm ?? null }
  }

  /**
   * A control arm's list, without the model: `trending` what sells best lately
   * (the same list the model's carousels are topped up from), `popular_in_category`
   * the same order restricted to the categories of the product on the page (else
   * of the shopper's latest viewed product) and topped up with the rest, `none`
   * an empty list (the placement hidden; still an impression, so its shoppers count
   * as exposed). Recently bought and excluded products are left out as for the model.
   */
  protected async rankControl(q: RecommendationQuery, strategy: Exclude<ArmAssignment["strategy"], "model">): Promise<RecommendationResult> {
    const available = await this.availableProducts(q.salesChannelId)
    await this.assertProductExists(q, available)
    const items: RecommendedProduct[] = []
    if (strategy !== "none") {
      const exclude = new Set(q.exclude)
      if (q.productId) exclude.add(q.productId)
      const { recentEvents, bought } = await this.shopperEvents(q, new Date(0))
      bought.forEach((id) => exclude.add(id))
      let pool = await this.popularFallback(available)
      const seed = q.productId ?? recentEvents[recentEvents.length - 1]?.productId
      const mates = strategy === "popular_in_category" && seed ? await this.categoryMates(seed) : null
      if (mates) pool = [...pool.filter((id) => mates.has(id)), ...pool.filter((id) => !mates.has(id))]
      for (const id of pool) {
        if (items.length >= q.limit) break
        if (exclude.has(id)) continue
        const inCategory = !!mates?.has(id)
        items.push({
          product_id: id,
          score: 0,
          reason: inCategory ? "Popular in this category" : "Popular in the shop",
          reason_code: inCategory ? "popular_in_category" : "trending",
        })
      }
    }
    return {
      recommendation_id: generateEntityId(undefined, "irec"),
      placement: q.placement,
      model_version_id: null,
      segment: null,
      cold: false,
      items,
      experiment_id: null,
      arm: null,
    }
  }

  /** Products sharing a category with this one (itself included), kept a minute. */
  protected async categoryMates(productId: string): Promise<Set<string>> {
    const cache = InterestRecommendationService.categoryMates
    const hit = cache.get(productId)
    if (hit && Date.now() - hit.at < CATEGORY_TTL_MS) return hit.value
    const repo = this.activeManager_.withRepository(this.interestExperimentRepository_)
    const value = new Set(await repo.productsInCategoriesOf([productId]))
    if (cache.size >= CATEGORY_MAX) cache.delete(cache.keys().next().value as string)
    cache.set(productId, { at: Date.now(), value })
    return value
  }

  /** A product that is not published in this channel may still exist (a related carousel on a draft's page): only one that does not exist is a 404. */
  protected async assertProductExists(q: RecommendationQuery, available: Available): Promise<void> {
    // Not published in this channel: it may still exist (a related carousel
    // on a draft's page), so only a product that does not exist is a 404.
    if (!q.productId || available.set.has(q.productId)) return
    const exists = await this.activeManager_.withRepository(this.catalogRepository_).productExists(q.productId)
    if (!exists) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Product with id: ${q.productId} was not found.`)
  }

  /**
   * Whether Medusa knows this currency.
   * @param code - lower-case ISO 4217 code
   */
  async knownCurrency(code: string): Promise<boolean> {
    const read = (InterestRecommendationService.currencies ??= this.manager_
      .withRepository(this.catalogRepository_)
      .currencyCodes()
      .catch((e: unknown) => {
        InterestRecommendationService.currencies = null
        throw e
      }))
    return (await read).has(code)
  }

  /** Forgets every ranking kept in memory (after an erasure). */
  static forgetRankings(): void {
    InterestRecommendationService.rankings.clear()
  }

  /**
   * The shopper the request may be served as: an opted-out (erased) customer or
   * visitor id, and a visitor id identified into a customer, are served as an
   * unknown shopper, and their impression names nobody. One indexed query.
   */
  protected async visibleShopper(q: RecommendationQuery): Promise<RecommendationQuery> {
    if (!q.customerId && !q.visitorId) return q
    const visitor = q.customerId ? null : q.visitorId
    const hidden = await this.activeManager_
      .withRepository(this.interestServingRepository_)
      .isHidden(optOutKey(q.customerId ?? visitorSubject(q.visitorId as string)), visitor)
    return hidden ? { ...q, customerId: null, visitorId: null } : q
  }

  /** Queues the impression (impression-buffer); waits only when it is written at once in a quiet shop. */
  protected recordImpression(q: RecommendationQuery, result: RecommendationResult, productIds: string[]): Promise<void> {
    return impressionBuffer.add(this.manager_, {
      id: result.recommendation_id,
      modelVersionId: result.model_version_id,
      customerId: q.customerId,
      visitorId: q.customerId ? null : q.visitorId,
      placement: q.placement,
      contextId: q.productId ?? "",
      productIds,
      experimentId: result.experiment_id,
      arm: result.arm,
    })
  }

  /**
   * Whether a customer could get other prices than a card's: only when the
   * shop has an active customer-group price list (known from the card watcher,
   * no query otherwise) and the customer is in one of its groups.
   */
  protected async hasGroupPrices(customerId: string | null): Promise<boolean> {
    if (!customerId) return false
    await productCardCache.watch(this.manager_)
    if (!productCardCache.priceLists.groupPrices) return false
    return await this.activeManager_.withRepository(this.catalogRepository_).hasGroupPrices(customerId)
  }

  /** Published products in the channel (all published when no channel), by id and as a set. */
  protected async availableProducts(channelId: string | null): Promise<Available> {
    const key = channelId ?? "*"
    const hit = InterestRecommendationService.available.get(key)
    if (hit && fresh(hit, AVAILABLE_TTL_MS)) return hit.value
    const generation = productCardCache.generation
    const ids = await this.activeManager_.withRepository(this.catalogRepository_).publishedProductIds(channelId)
    const value = { ids, set: new Set(ids), version: ++InterestRecommendationService.availableVersion }
    InterestRecommendationService.available.set(key, { at: Date.now(), generation, value })
    return value
  }

  protected async interestNames(): Promise<Map<string, string>> {
    const cached = InterestRecommendationService.names
    if (cached && Date.now() - cached.at < NAMES_TTL_MS) return cached.value
    const value = await this.activeManager_.withRepository(this.interestNameRepository_).interestNames()
    InterestRecommendationService.names = { at: Date.now(), generation: 0, value }
    return value
  }

  /** A segment's merchant-given name (segments of every version, re-read every 30 s or for an unknown id). */
  protected async segmentName(id: string, fallback: string, names: Map<string, string>): Promise<string> {
    let cached = InterestRecommendationService.segments
    if (!cached || Date.now() - cached.at >= SEGMENTS_TTL_MS || !cached.value.has(id)) {
      const value = await this.activeManager_.withRepository(this.interestServingRepository_).segmentNames()
      cached = { at: Date.now(), generation: 0, value }
      InterestRecommendationService.segments = cached
    }
    return cached.value.get(id) ?? humanize(fallback, names)
  }

  /**
   * In one indexed query: the shopper's events newer than the model (the
   * model has not seen them yet) and, for a customer, what they bought within
   * `excludePurchasedDays`.
   */
  protected async shopperEvents(q: RecommendationQuery, since: Date | null): Promise<{ recentEvents: InterestEvent[]; bought: string[] }> {
    if (!q.customerId && !q.visitorId) return { recentEvents: [], bought: [] }
    // A visitor id reads only events that are still anonymous: once identify (or
    // a logged-in request) ties them to a customer, the visitor id alone must not
    // reveal them.
    const shopper: ShopperKey = q.customerId ? { customerId: q.customerId } : { visitorId: q.visitorId as string }
    const days = q.customerId ? this.options_.excludePurchasedDays : 0
    const rows = await this.activeManager_
      .withRepository(this.interestServingRepository_)
      .shopperEvents(shopper, since ?? new Date(0), days)
    const subject = q.customerId ?? `${VISITOR_PREFIX}${q.visitorId}`
    const recentEvents = rows
      .filter((r) => r.kind === "recent")
      .map((r) => ({ customerId: subject, productId: r.product_id, type: r.type, timestamp: r.at, quantity: r.quantity }))
      .sort((a, b) => a.timestamp - b.timestamp)
    return { recentEvents, bought: rows.filter((r) => r.kind === "bought").map((r) => r.product_id) }
  }

  /**
   * What sells best lately (the shop's event weights and influence options,
   * last 30 days), then the rest of the channel: kept a minute.
   */
  protected async popularFallback(available: Available): Promise<string[]> {
    let cached = InterestRecommendationService.popular
    if (!cached || Date.now() - cached.at >= POPULAR_TTL_MS) {
      const { eventWeights, influence, period } = this.options_
      const value = await this.activeManager_
        .withRepository(this.interestServingRepository_)
        .popularProducts({ eventWeights, influence, period }, POPULAR_KEEP)
      cached = { at: Date.now(), generation: 0, value }
      InterestRecommendationService.popular = cached
    }
    const popular = cached.value.filter((id) => available.set.has(id))
    const seen = new Set(popular)
    return [...popular, ...available.ids.filter((id) => !seen.has(id))]
  }
}

const trainedSets = new WeakMap<LoadedModel, Set<string>>()
/** The products a model was trained on, as a set (once per loaded model). */
function trainedProducts(model: LoadedModel): Set<string> {
  let set = trainedSets.get(model)
  if (!set) {
    set = new Set(model.stage.productIds)
    trainedSets.set(model, set)
  }
  return set
}

function fresh<T>(c: Cached<T>, ttlMs: number): boolean {
  return Date.now() - c.at < ttlMs && c.generation === productCardCache.generation
}

export default InterestRecommendationService
