import { ProductService, ProductVariantService, SubscriberArgs, SubscriberConfig } from "@medusajs/medusa"
import InterestProductCardService from "../services/interest-product-card"

type ProductOrVariantEvent = { id?: string; product_id?: string }

/**
 * A product or one of its variants changed (title, status, sales channels,
 * prices, inventory, options…): rebuild its prepared cards through Medusa's
 * services, or drop them when the product is gone. Variant events carry the
 * product in `product_id`; product events in `id`.
 */
export default async function refreshProductCards({ data, container }: SubscriberArgs<ProductOrVariantEvent>): Promise<void> {
  const productId = data?.product_id ?? data?.id
  if (!productId) return
  await container.resolve<InterestProductCardService>("interestProductCardService").refreshProducts([productId])
}

export const config: SubscriberConfig = {
  event: [
    ProductService.Events.CREATED,
    ProductService.Events.UPDATED,
    ProductService.Events.DELETED,
    ProductVariantService.Events.CREATED,
    ProductVariantService.Events.UPDATED,
    ProductVariantService.Events.DELETED,
  ],
  context: { subscriberId: "interest-product-card-products" },
}
