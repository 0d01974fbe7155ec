import { MedusaRequest, MedusaResponse } from "@medusajs/medusa"
import { MedusaError } from "medusa-core-utils"
import InterestInsightsService from "../../../../../../services/interest-insights"
import { ENTITY_ID_PATTERN } from "../../../../../../types/events"

/**
 * A merchant handling a deletion request: the same erasure as the customer's own
 * `DELETE /store/customers/me/interests`, for a customer id. A customer Medusa
 * has soft-deleted can still be erased; an id that was never a customer is a 404.
 */
export const DELETE = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const customerId = req.params.id
  if (!ENTITY_ID_PATTERN.test(customerId)) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "id must be a customer id")
  }
  const insights = req.scope.resolve<InterestInsightsService>("interestInsightsService")
  if (!(await insights.isCustomer(customerId))) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Customer with id: ${customerId} was not found.`)
  }
  const deleted = await insights.eraseCustomer(customerId, "merchant request")
  res.json({ customer_id: customerId, opted_out: true, deleted })
}
