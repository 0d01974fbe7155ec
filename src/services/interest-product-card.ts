import { Product, ProductService, TransactionBaseService } from "@medusajs/medusa"
import { cleanResponseData } from "@medusajs/medusa"
import { defaultStoreProductsRelations } from "@medusajs/medusa/dist/api/routes/store/products"
import type PricingService from "@medusajs/medusa/dist/services/pricing"
import { EntityManager } from "typeorm"
import { openCard, productCardCache } from "../runtime/product-card-cache"
import { CatalogRepository } from "../repositories/catalog"
import { InterestProductCardRepository } from "../repositories/interest-product-card"

type InjectedDependencies = {
  manager: EntityManager
  productService: ProductService
  pricingService: PricingService
  catalogRepository: typeof CatalogRepository
  interestProductCardRepository: typeof InterestProductCardRepository
}

/** The region and/or currency a card is priced for; neither gives unpriced cards. */
export interface PriceContext {
  regionId?: string
  currencyCode?: string
}

/**
 * Medusa 1.20's product repository applies `take` before it groups the joined
 * relation rows, so a take of ids.length drops products with several variants:
 * the ids bound the result, hence a take far above any batch.
 */
const LIST_TAKE = 100_000
/** Products built per Medusa query when many cards are missing or rebuilt at once. */
const BUILD_CHUNK = 100

/**
 * Prepared, priced product cards (`interest_product_card`): each product as
 * Medusa's store routes return it, priced through Medusa's own ProductService
 * and PricingService for one region or currency, without a customer. Serving
 * reads them from the per-process cache, then the table, and builds the missing
 * ones on the spot; product, variant and region events rebuild or drop them
 * (subscribers `product-card-*`), and a card built under other price lists than
 * the current ones (they emit no events) counts as missing.
 */
class InterestProductCardService extends TransactionBaseService {
  protected readonly productService_: ProductService
  protected readonly pricingService_: PricingService
  protected readonly catalogRepository_: typeof CatalogRepository
  protected readonly interestProductCardRepository_: typeof InterestProductCardRepository

  constructor(container: InjectedDependencies) {
    // eslint-disable-next-line prefer-rest-params
    super(arguments[0])
    this.productService_ = container.productService
    this.pricingService_ = container.pricingService
    this.catalogRepository_ = container.catalogRepository
    this.interestProductCardRepository_ = container.interestProductCardRepository
  }

  /**
   * The key a price context is stored under.
   * @param ctx - region and/or currency (currency lower case)
   * @return "region:<id>", "currency:<code>", both joined by "|", or "" for unpriced cards
   */
  static contextKey(ctx: PriceContext): string {
    const parts: string[] = []
    if (ctx.regionId) parts.push(`region:${ctx.regionId}`)
    if (ctx.currencyCode) parts.push(`currency:${ctx.currencyCode}`)
    return parts.join("|")
  }

  /**
   * Cards of these products for a price context.
   * @param ids - product ids
   * @param ctx - the price context
   * @return product id -> the product's JSON as UTF-8 without its closing brace; products that do not exist are absent
   */
  async cards(ids: string[], ctx: PriceContext): Promise<Map<string, Buffer>> {
    await productCardCache.watch(this.activeManager_)
    const context = InterestProductCardService.contextKey(ctx)
    const found = new Map<string, Buffer>()
    let missing: string[] = []
    for (const id of ids) {
      const hit = productCardCache.get(context, id)
      if (hit) found.set(id, hit.open)
      else missing.push(id)
    }
    if (missing.length) {
      const signature = productCardCache.priceLists.signature
      const rows = await this.activeManager_.withRepository(this.interestProductCardRepository_).findCards(context, missing, signature)
      for (const r of rows) {
        const card = openCard(r.json, r.at)
        productCardCache.set(context, r.product_id, card)
        found.set(r.product_id, card.open)
      }
      missing = missing.filter((id) => !found.has(id))
    }
    if (missing.length) {
      for (const [id, json] of await this.build(missing, ctx)) found.set(id, openCard(json, 0).open)
    }
    return found
  }

  /**
   * Builds (or rebuilds) cards through Medusa's product and pricing services,
   * stores them and puts them in this process's cache.
   * @param ids - product ids (deleted or unknown ones are skipped)
   * @param ctx - the price context
   * @return product id -> the product's JSON
   */
  async build(ids: string[], ctx: PriceContext): Promise<Map<string, string>> {
    await productCardCache.watch(this.activeManager_)
    const context = InterestProductCardService.contextKey(ctx)
    const catalog = this.activeManager_.withRepository(this.catalogRepository_)
    const built = new Map<string, string>()
    const sorted = [...ids].sort()
    for (let i = 0; i < sorted.length; i += BUILD_CHUNK) {
      const chunk = sorted.slice(i, i + BUILD_CHUNK)
      // Stamped with the time the reads start: a slower build that read older
      // data can then never overwrite a newer card (see upsertCards).
      const startedAt = Date.now()
      // The label must match the prices read: read the price lists' state
      // before and after; if they changed meanwhile, serve but do not keep.
      const signature = await catalog.priceListSignature()
      const products = await this.priced(chunk, ctx)
      if (!products.length) continue
      const keep = (await catalog.priceListSignature()) === signature
      // Rows in product id order: two builds of overlapping products (the carousels
      // of one page load) then lock them in the same order, instead of deadlocking.
      const cleaned = (cleanResponseData(products, []) as { id: string }[]).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      const fresh = cleaned.map((product) => ({ id: product.id, json: JSON.stringify(product) }))
      for (const { id, json } of fresh) built.set(id, json)
      if (!keep) continue
      const stored = await this.activeManager_
        .withRepository(this.interestProductCardRepository_)
        .upsertCards(context, new Date(startedAt), signature, fresh)
      // Only what was stored goes to memory, and only while the watcher still
      // knows these price lists (had it moved on, it has dropped the memory
      // already and this card is stale). A card a newer build already wrote is
      // left to be read from the table next time.
      if (productCardCache.priceLists.signature !== signature) continue
      for (const { id, json } of fresh) if (stored.has(id)) productCardCache.set(context, id, openCard(json, startedAt))
    }
    return built
  }

  /**
   * Products priced for one shopper, the way `/store/products` prices them
   * (customer-group price lists included): the path for shoppers a card cannot
   * price.
   * @param ids - product ids, returned in this order
   * @param ctx - the price context
   * @param customerId - the logged-in customer
   * @return product id -> the product's JSON as UTF-8 without its closing brace, as `cards` gives it
   */
  async live(ids: string[], ctx: PriceContext, customerId: string): Promise<Map<string, Buffer>> {
    const products = await this.priced(ids, ctx, customerId)
    return new Map((cleanResponseData(products, []) as { id: string }[]).map((p) => [p.id, openCard(JSON.stringify(p), 0).open]))
  }

  /**
   * Rebuilds every stored card of these products (each context they have a
   * card in) and drops the cards of products that no longer exist.
   * @param ids - product ids
   */
  async refreshProducts(ids: string[]): Promise<void> {
    if (!ids.length) return
    productCardCache.evictProducts(ids)
    const cards = this.activeManager_.withRepository(this.interestProductCardRepository_)
    const contexts = await cards.contextsOf(ids)
    const existing = await this.activeManager_.withRepository(this.catalogRepository_).existingProductIds(ids)
    const gone = ids.filter((id) => !existing.has(id))
    await cards.deleteCards(gone)
    const deleted = new Set(gone)
    for (const [context, inContext] of contexts) {
      const alive = inContext.filter((id) => !deleted.has(id))
      if (!alive.length) continue
      try {
        // A request that read the product before the change and writes its card
        // after this rebuild cannot win: the upsert keeps the later read.
        await this.build(alive, parseContextKey(context))
      } catch {
        // The context cannot be priced any more (its region is gone): drop
        // these cards; a request for that context rebuilds or refuses them.
        await cards.deleteCards(alive, context)
        productCardCache.evictProducts(alive)
      }
    }
    // The product's status or sales channels may have changed: re-read the published set.
    productCardCache.touch()
  }

  /**
   * Rebuilds the cards of the products whose card names this collection (it
   * was renamed or deleted).
   * @param collectionId - the collection
   */
  async refreshCollection(collectionId: string): Promise<void> {
    await this.refreshProducts(await this.activeManager_.withRepository(this.interestProductCardRepository_).productsInCollection(collectionId))
  }

  /**
   * Drops the cards priced for a region (its currency, taxes or countries changed);
   * they are rebuilt on their next use.
   * @param regionId - the region
   */
  async dropRegion(regionId: string): Promise<void> {
    await this.activeManager_.withRepository(this.interestProductCardRepository_).deleteRegion(regionId)
    productCardCache.evictContexts(`region:${regionId}\u0000`)
    productCardCache.evictContexts(`region:${regionId}|`)
  }

  private async priced(ids: string[], ctx: PriceContext, customerId?: string): Promise<Product[]> {
    if (!ids.length) return []
    const [products] = await this.productService_
      .withTransaction(this.activeManager_)
      .listAndCount({ id: ids }, { relations: [...defaultStoreProductsRelations], skip: 0, take: LIST_TAKE })
    if (ctx.regionId || ctx.currencyCode) {
      await this.pricingService_.withTransaction(this.activeManager_).setProductPrices(products, {
        region_id: ctx.regionId,
        currency_code: ctx.currencyCode,
        customer_id: customerId,
        include_discount_prices: true,
        // The card is the cache: read prices from the database, not from the
        // price-selection cache that price-list edits do not invalidate.
        ignore_cache: true,
      })
    }
    const byId = new Map(products.map((p) => [p.id, p]))
    return ids.map((id) => byId.get(id)).filter((p): p is Product => !!p)
  }
}

/** The inverse of `contextKey`. */
export function parseContextKey(key: string): PriceContext {
  const ctx: PriceContext = {}
  for (const part of key.split("|")) {
    if (part.startsWith("region:")) ctx.regionId = part.slice("region:".length)
    else if (part.startsWith("currency:")) ctx.currencyCode = part.slice("currency:".length)
  }
  return ctx
}

export default InterestProductCardService
