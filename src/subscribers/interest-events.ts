import { SubscriberArgs, SubscriberConfig } from "@medusajs/medusa"
import InterestEventService from "../services/interest-event"
import { EventsReceivedPayload } from "../types/events"

/** Writes events accepted by `POST /store/interest/events` into `interest_event`. */
export default async function storeInterestEvents({
  data,
  container,
}: SubscriberArgs<EventsReceivedPayload>): Promise<void> {
  if (!Array.isArray(data?.events)) {
    return
  }
  await container.resolve<InterestEventService>("interestEventService").record(data.events)
}

export const config: SubscriberConfig = {
  event: InterestEventService.Events.RECEIVED,
  context: { subscriberId: "interest-events-writer" },
}
