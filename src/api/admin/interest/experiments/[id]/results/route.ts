import { MedusaRequest, MedusaResponse } from "@medusajs/medusa"
import InterestExperimentService from "../../../../../../services/interest-experiment"

/**
 * Per arm: exposed shoppers, conversion, revenue and orders per shopper with
 * 95% intervals and their uplift over the control; the lists' impressions,
 * clicks, add-to-carts and last-touch orders and revenue; the sample-ratio
 * check; and the cumulative results by day.
 */
export const GET = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const results = await req.scope.resolve<InterestExperimentService>("interestExperimentService").results(req.params.id)
  res.json(results)
}
