import { ProductCollectionService, SubscriberArgs, SubscriberConfig } from "@medusajs/medusa"
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
  await cards.refreshCollection(data.id)
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
