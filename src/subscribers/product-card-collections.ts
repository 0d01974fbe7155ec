import { ProductCollectionService, SubscriberArgs, SubscriberConfig } from "@medusajs/medusa"
import { EntityManager } from "typeorm"
import InterestProductCardService from "../services/interest-product-card"

type CollectionEvent = { id?: string; productCollection?: { id: string }; productIds?: string[] }

/**
 * A card embeds the product's collection: when a collection is renamed or
 * deleted, the products whose cards name it are rebuilt; when products are
 * added to or removed from one, those products are.
 */
export default async function refreshCollectionCards({ data, container }: SubscriberArgs<CollectionEvent>): Promise<void> {
  const cards = container.resolve<InterestProductCardService>("interestProductCardService")
  if (data?.productIds?.length) {
    await cards.refreshProducts(data.productIds)
    return
  }
  if (!data?.id) return
  const rows: { product_id: string }[] = await container
    .resolve<EntityManager>("manager")
    .query(`SELECT DISTINCT product_id FROM interest_product_card WHERE card->'product'->>'collection_id' = $1`, [data.id])
  await cards.refreshProducts(rows.map((r) => r.product_id))
}

export const config: SubscriberConfig = {
  event: [
    ProductCollectionService.Events.UPDATED,
    ProductCollectionService.Events.DELETED,
    ProductCollectionService.Events.PRODUCTS_ADDED,
    ProductCollectionService.Events.PRODUCTS_REMOVED,
  ],
  context: { subscriberId: "interest-product-card-collections" },
}
