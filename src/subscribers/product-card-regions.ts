import { RegionService, SubscriberArgs, SubscriberConfig } from "@medusajs/medusa"
import InterestProductCardService from "../services/interest-product-card"

/**
 * A region's currency, tax rate, tax-inclusive pricing or countries decide its
 * cards' prices: a changed or deleted region drops them (rebuilt on next use).
 */
export default async function dropRegionCards({ data, container }: SubscriberArgs<{ id?: string }>): Promise<void> {
  if (!data?.id) return
  await container.resolve<InterestProductCardService>("interestProductCardService").dropRegion(data.id)
}

export const config: SubscriberConfig = {
  event: [RegionService.Events.UPDATED, RegionService.Events.DELETED],
  context: { subscriberId: "interest-product-card-regions" },
}
