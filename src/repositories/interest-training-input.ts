import { dataSource } from "@medusajs/medusa/dist/loaders/database"
import { InterestEvent as InterestEventEntity } from "../models/interest-event"
import type { CatalogProduct, EventType, InterestEvent } from "../engine/types"
import { VISITOR_PREFIX } from "../types/events"
import { shopperCategorySql } from "./sql/shopper-category"

/**
 * What a training run learns from, read in the engine's shapes: every captured
 * event, and the live catalogue with each product's interests.
 */
export const InterestTrainingInputRepository = dataSource.getRepository(InterestEventEntity).extend({
  /**
   * Every captured event, by subject then time. Customers who only ever browsed
   * anonymously are keyed by their visitor subject (`v:` + visitor id).
   */
  async events(): Promise<InterestEvent[]> {
    const rows: {
      subject: string
      product_id: string
      type: EventType
      at: string
      quantity: number
      channel: string | null
      source: string | null
      anonymous: boolean
    }[] = await this.query(
      `SELECT COALESCE(customer_id, '${VISITOR_PREFIX}' || visitor_id) AS subject, product_id, type,
              (extract(epoch FROM occurred_at) * 1000)::bigint AS at, quantity, sales_channel_id AS channel, client_source AS source,
              customer_id IS NULL AS anonymous
       FROM interest_event ORDER BY subject, occurred_at, id`
    )
    return rows.map((r) => ({
      customerId: r.subject,
      productId: r.product_id,
      type: r.type,
      timestamp: Number(r.at),
      quantity: r.quantity,
      ...(r.channel ? { channelId: r.channel } : {}),
      ...(r.source ? { sourceId: r.source } : {}),
      ...(r.anonymous ? { anonymous: true } : {}),
    }))
  },

  /** The products that are not deleted, with their categories (those shoppers see), collection, tags and type. */
  async catalog(): Promise<CatalogProduct[]> {
    const rows: { id: string; title: string; collection_id: string | null; type_id: string | null; categories: string[]; tags: string[] }[] =
      await this.query(
        `SELECT p.id, p.title, p.collection_id, p.type_id,
           COALESCE((SELECT array_agg(c.product_category_id ORDER BY c.product_category_id)
                       FROM product_category_product c JOIN product_category pc ON pc.id = c.product_category_id
                      WHERE c.product_id = p.id AND ${shopperCategorySql("pc")}), '{}') AS categories,
           COALESCE((SELECT array_agg(t.product_tag_id ORDER BY t.product_tag_id) FROM product_tags t WHERE t.product_id = p.id), '{}') AS tags
         FROM product p WHERE p.deleted_at IS NULL ORDER BY p.id`
      )
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      categoryIds: r.categories,
      collectionId: r.collection_id,
      tagIds: r.tags,
      typeId: r.type_id,
    }))
  },
})

export default InterestTrainingInputRepository
