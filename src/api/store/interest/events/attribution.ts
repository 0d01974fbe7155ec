import type { ServedList } from "../../../../services/interest-event"

/**
 * Whether an event may credit a served list: the list was served to the same
 * shopper (the same customer, or, for a list served anonymously, the same
 * visitor id) and showed the event's product, and the experiment and arm the
 * event names, if it names them, are the list's. Anything else, a forged or
 * copied recommendation_id above all, is stored without attribution.
 * @param list - the list named by the event's recommendation_id, if it exists
 * @param customerId - the customer of the event's request: the logged-in one, else the one its visitor id was identified into
 * @param visitorId - the visitor id of the event's request
 * @param productId - the event's product
 * @param tagged - the experiment_id and arm the event was sent with, if any
 */
export function creditsList(
  list: ServedList | undefined,
  customerId: string | null,
  visitorId: string | null,
  productId: string,
  tagged: { experiment_id?: string; arm?: string } = {}
): boolean {
  if (!list || !Array.isArray(list.product_ids) || !list.product_ids.includes(productId)) return false
  if (tagged.experiment_id !== undefined && tagged.experiment_id !== list.experiment_id) return false
  if (tagged.arm !== undefined && tagged.arm !== list.arm) return false
  if (list.customer_id) return list.customer_id === customerId
  return !!list.visitor_id && list.visitor_id === visitorId
}

/** The reason given for an accepted event whose recommendation_id credits nothing (one text for every case, so it tells nothing about other shoppers' lists). */
export const UNATTRIBUTED_REASON =
  "stored without attribution: recommendation_id is not a list served to this shopper that showed this product"
