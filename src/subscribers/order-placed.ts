import { OrderService, SubscriberArgs, SubscriberConfig } from "@medusajs/medusa"
import InterestEventService from "../services/interest-event"

/** One purchase event per line item of a placed order (idempotent per order). */
export default async function recordOrderPurchases({
  data,
  container,
}: SubscriberArgs<{ id: string }>): Promise<void> {
  if (!data?.id) {
    return
  }
  await container.resolve<InterestEventService>("interestEventService").recordOrder(data.id)
}

export const config: SubscriberConfig = {
  event: OrderService.Events.PLACED,
  context: { subscriberId: "interest-order-placed" },
}
