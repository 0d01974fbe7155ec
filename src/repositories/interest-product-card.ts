import { dataSource } from "@medusajs/medusa/dist/loaders/database"
import { InterestProductCard } from "../models/interest-product-card"
import { PRICE_LIST_SIGNATURE } from "./sql/price-list-signature"

/** A stored card: the product's JSON and its row's `updated_at` (ms). */
export interface StoredCard {
  product_id: string
  json: string
  at: number
}

/** What the card watcher polls, in one statement. */
export interface CardWatchState {
  /** The card table's row count and newest `updated_at`: changes with every write. */
  cards: string
  /** The price lists' signature (sql/price-list-signature.ts). */
  signature: string
  /** Whether an active price list is limited to customer groups. */
  groupPrices: boolean
}

/**
 * Prepared product cards (`interest_product_card`): `card` holds the product's
 * store JSON (`product`) and the price-list signature it was priced under
 * (`price_lists`), one row per product and price context.
 */
export const InterestProductCardRepository = dataSource.getRepository(InterestProductCard).extend({
  /** @return the cards of these products in a context that were priced under the price lists `signature` */
  async findCards(context: string, productIds: string[], signature: string): Promise<StoredCard[]> {
    if (!productIds.length) return []
    const rows: { product_id: string; json: string; at: string }[] = await this.query(
      `SELECT product_id, (card->'product')::text AS json, floor(extract(epoch FROM updated_at) * 1000)::text AS at
       FROM interest_product_card WHERE price_context = $1 AND product_id = ANY($2) AND card->>'price_lists' = $3`,
      [context, productIds, signature]
    )
    return rows.map((r) => ({ product_id: r.product_id, json: r.json, at: Number(r.at) }))
  },

  /**
   * Stores cards read at `readAt`; a card stored from a later read is kept (a
   * slower build that read older data never overwrites a newer card).
   * @param cards - product id and JSON, in product id order (concurrent writers then lock rows in the same order)
   * @return the product ids whose card was written
   */
  async upsertCards(context: string, readAt: Date, signature: string, cards: { id: string; json: string }[]): Promise<Set<string>> {
    if (!cards.length) return new Set()
    const params: unknown[] = [context, readAt, signature]
    const values = cards.map((c) => {
      params.push(c.id, c.json)
      return `($${params.length - 1}, $1, jsonb_build_object('price_lists', $3::text, 'product', $${params.length}::jsonb), $2)`
    })
    const written: { product_id: string }[] = await this.query(
      `INSERT INTO interest_product_card (product_id, price_context, card, updated_at) VALUES ${values.join(", ")}
       ON CONFLICT (product_id, price_context) DO UPDATE SET card = EXCLUDED.card, updated_at = EXCLUDED.updated_at
       WHERE interest_product_card.updated_at <= EXCLUDED.updated_at
       RETURNING product_id`,
      params
    )
    return new Set(written.map((w) => w.product_id))
  },

  /** @return price context -> the products among these with a card in it */
  async contextsOf(productIds: string[]): Promise<Map<string, string[]>> {
    if (!productIds.length) return new Map()
    const rows: { price_context: string; ids: string[] }[] = await this.query(
      `SELECT price_context, array_agg(product_id) AS ids FROM interest_product_card WHERE product_id = ANY($1) GROUP BY price_context`,
      [productIds]
    )
    return new Map(rows.map((r) => [r.price_context, r.ids]))
  },

  /** @return the products whose card names this collection */
  async productsInCollection(collectionId: string): Promise<string[]> {
    const rows: { product_id: string }[] = await this.query(
      `SELECT DISTINCT product_id FROM interest_product_card WHERE card->'product'->>'collection_id' = $1`,
      [collectionId]
    )
    return rows.map((r) => r.product_id)
  },

  /** Deletes every card of these products, or only those of one context. */
  async deleteCards(productIds: string[], context: string | null = null): Promise<void> {
    if (!productIds.length) return
    await this.query(`DELETE FROM interest_product_card WHERE product_id = ANY($1) AND ($2::text IS NULL OR price_context = $2)`, [
      productIds,
      context,
    ])
  },

  /** Deletes the cards priced for a region (alone or with a currency). */
  async deleteRegion(regionId: string): Promise<void> {
    await this.query(`DELETE FROM interest_product_card WHERE price_context = $1 OR price_context LIKE $2`, [
      `region:${regionId}`,
      `region:${regionId}|%`,
    ])
  },

  /** The card table's and the price lists' state, in one snapshot. */
  async watchState(): Promise<CardWatchState> {
    const [row] = await this.query(
      `SELECT
         (SELECT count(*) || ':' || coalesce(floor(extract(epoch FROM max(updated_at)) * 1000)::text, '')
            FROM interest_product_card) AS cards,
         ${PRICE_LIST_SIGNATURE} AS signature,
         EXISTS (SELECT 1 FROM price_list_customer_groups g JOIN price_list pl ON pl.id = g.price_list_id
                  WHERE pl.deleted_at IS NULL AND pl.status = 'active') AS group_prices`
    )
    return { cards: row.cards, signature: row.signature, groupPrices: !!row.group_prices }
  },

  /** @return every stored card's `updated_at` (ms), by price context and product */
  async stamps(): Promise<{ product_id: string; price_context: string; at: number }[]> {
    const rows: { product_id: string; price_context: string; at: string }[] = await this.query(
      `SELECT product_id, price_context, floor(extract(epoch FROM updated_at) * 1000)::text AS at FROM interest_product_card`
    )
    return rows.map((r) => ({ product_id: r.product_id, price_context: r.price_context, at: Number(r.at) }))
  },
})

export default InterestProductCardRepository
