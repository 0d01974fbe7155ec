import { Product, ProductService, TransactionBaseService } from "@medusajs/medusa"
import { cleanResponseData } from "@medusajs/medusa"
import { defaultStoreProductsRelations } from "@medusajs/medusa/dist/api/routes/store/products"
import type PricingService from "@medusajs/medusa/dist/services/pricing"
import { EntityManager } from "typeorm"
import { openCard, productCardCache, readPriceListSignature } from "../runtime/product-card-cache"

type InjectedDependencies = {
  manager: EntityManager
  productService: ProductService
  pricingService: PricingService
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

  constructor(container: InjectedDependencies) {
    // eslint-disable-next-line prefer-rest-params
    super(arguments[0])
    this.productService_ = container.productService
    this.pricingService_ = container.pricingService
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
      const rows: { product_id: string; json: string; at: string }[] = await this.activeManager_.query(
        `SELECT product_id, (card->'product')::text AS json, floor(extract(epoch FROM updated_at) * 1000)::text AS at
         FROM interest_product_card WHERE price_context = $1 AND product_id = ANY($2) AND card->>'price_lists' = $3`,
        [context, missing, signature]
      )
      for (const r of rows) {
        const card = openCard(r.json, Number(r.at))
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
    const built = new Map<string, string>()
    const sorted = [...ids].sort()
    for (let i = 0; i < sorted.length; i += BUILD_CHUNK) {
      const chunk = sorted.slice(i, i + BUILD_CHUNK)
      // Stamped with the time the reads start: a slower build that read older
      // data can then never overwrite a newer card (see the upsert's WHERE).
      const startedAt = Date.now()
      // The label must match the prices read: read the price lists' state
      // before and after; if they changed meanwhile, serve but do not keep.
      const signature = await readPriceListSignature(this.activeManager_)
      const products = await this.priced(chunk, ctx)
      if (!products.length) continue
      const keep = (await readPriceListSignature(this.activeManager_)) === signature
      const values: string[] = []
      const params: unknown[] = [context, new Date(startedAt), signature]
      const fresh = new Map<string, string>()
      // Rows in product id order: two builds of overlapping products (the carousels
      // of one page load) then lock them in the same order, instead of deadlocking.
      const cleaned = (cleanResponseData(products, []) as { id: string }[]).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      for (const product of cleaned) {
        const json = JSON.stringify(product)
        fresh.set(product.id, json)
        built.set(product.id, json)
        params.push(product.id, json)
        values.push(`($${params.length - 1}, $1, jsonb_build_object('price_lists', $3::text, 'product', $${params.length}::jsonb), $2)`)
      }
      if (!keep) continue
      const written: { product_id: string }[] = await this.activeManager_.query(
        `INSERT INTO interest_product_card (product_id, price_context, card, updated_at) VALUES ${values.join(", ")}
         ON CONFLICT (product_id, price_context) DO UPDATE SET card = EXCLUDED.card, updated_at = EXCLUDED.updated_at
         WHERE interest_product_card.updated_at <= EXCLUDED.updated_at
         RETURNING product_id`,
        params
      )
      // Only what was stored goes to memory, and only while the watcher still
      // knows these price lists (had it moved on, it has dropped the memory
      // already and this card is stale). A card a newer build already wrote is
      // left to be read from the table next time.
      if (productCardCache.priceLists.signature !== signature) continue
      const stored = new Set(written.map((w) => w.product_id))
      for (const [id, json] of fresh) if (stored.has(id)) productCardCache.set(context, id, openCard(json, startedAt))
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
    const rows: { price_context: string; ids: string[] }[] = await this.activeManager_.query(
      `SELECT price_context, array_agg(product_id) AS ids FROM interest_product_card WHERE product_id = ANY($1) GROUP BY price_context`,
      [ids]
    )
    const gone: { id: string }[] = await this.activeManager_.query(
      `SELECT id FROM unnest($1::text[]) AS i(id) WHERE NOT EXISTS (SELECT 1 FROM product p WHERE p.id = i.id AND p.deleted_at IS NULL)`,
      [ids]
    )
    if (gone.length) {
      await this.activeManager_.query(`DELETE FROM interest_product_card WHERE product_id = ANY($1)`, [gone.map((g) => g.id)])
    }
    const deleted = new Set(gone.map((g) => g.id))
    for (const row of rows) {
      const alive = row.ids.filter((id) => !deleted.has(id))
      if (!alive.length) continue
      try {
        // A request that read the product before the change and writes its card
        // after this rebuild cannot win: the upsert keeps the later read.
        await this.build(alive, parseContextKey(row.price_context))
      } catch {
        // The context cannot be priced any more (its region is gone): drop
        // these cards; a request for that context rebuilds or refuses them.
        await this.activeManager_.query(`DELETE FROM interest_product_card WHERE price_context = $1 AND product_id = ANY($2)`, [
          row.price_context,
          alive,
        ])
        productCardCache.evictProducts(alive)
      }
    }
    // The product's status or sales channels may have changed: re-read the published set.
    productCardCache.touch()
  }

  /**
   * Drops the cards priced for a region (its currency, taxes or countries changed);
   * they are rebuilt on their next use.
   * @param regionId - the region
   */
  async dropRegion(regionId: string): Promise<void> {
    await this.activeManager_.query(`DELETE FROM interest_product_card WHERE price_context = $1 OR price_context LIKE $2`, [
      `region:${regionId}`,
      `region:${regionId}|%`,
    ])
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
