import { MedusaRequest, MedusaResponse } from "@medusajs/medusa"
import InterestInsightsService from "../../../../../services/interest-insights"
import { loggedInCustomerId } from "../../../../helpers/subject"

/**
 * Medusa only enforces customer auth on custom routes under `/store/me`; this
 * route checks it itself, and only ever reads the caller's own id from the
 * session or token (no id is taken from the request).
 */
function requireCustomer(req: MedusaRequest, res: MedusaResponse): string | null {
  const customerId = loggedInCustomerId(req)
  if (!customerId) {
    res.status(401).json({ type: "unauthorized", message: "Log in as a customer to see your interests." })
    return null
  }
  return customerId
}

/** The logged-in customer's own interests: newest profiles, segment, opt-out state. */
export const GET = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const customerId = requireCustomer(req, res)
  if (!customerId) {
    return
  }
  const own = await req.scope.resolve<InterestInsightsService>("interestInsightsService").retrieveOwn(customerId)
  res.json(own)
}

/**
 * Forgets the logged-in customer and their visitor ids: every plugin row, their
 * state inside every stored model version, the model in memory; then opts them
 * out (InterestInsightsService.eraseCustomer). Their later events are ignored.
 */
export const DELETE = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const customerId = requireCustomer(req, res)
  if (!customerId) {
    return
  }
  const deleted = await req.scope
    .resolve<InterestInsightsService>("interestInsightsService")
    .eraseCustomer(customerId, "customer request")
  res.json({ customer_id: customerId, opted_out: true, deleted })
}
