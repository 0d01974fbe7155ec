import { MedusaRequest, MedusaResponse, validator } from "@medusajs/medusa"
import InterestInsightsService, { SUSPICIOUS_RULE } from "../../../../../../services/interest-insights"
import { AdminDateWindowParams, dateWindow } from "../../../date-window"

export class AdminGetInterestProductContributorsParams extends AdminDateWindowParams {}

/**
 * Who a product's interest signal comes from over a window (default the last
 * 30 days): its event-weighted signal, distinct shoppers, the share of its
 * heaviest 1 and 10 shoppers, and whether that looks like one client flooding it.
 */
export const GET = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const query = await validator(AdminGetInterestProductContributorsParams, req.query)
  const { from, to } = dateWindow(query)
  const contributors = await req.scope
    .resolve<InterestInsightsService>("interestInsightsService")
    .productContributors(req.params.id, from, to)
  res.json({ contributors, from: from.toISOString(), to: to.toISOString(), rule: SUSPICIOUS_RULE })
}
