import { MedusaRequest, MedusaResponse, validator } from "@medusajs/medusa"
import InterestInsightsService from "../../../../services/interest-insights"
import { ATTRIBUTION_WINDOW_DAYS } from "../../../../options/plugin-options"
import { AdminDateWindowParams, dateWindow } from "../date-window"

export class AdminGetInterestStatsParams extends AdminDateWindowParams {}

/**
 * Per placement, for the lists served in [from, to): impressions, clicks,
 * add-to-carts, attributed purchases, ctr and conversion.
 */
export const GET = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const query = await validator(AdminGetInterestStatsParams, req.query)
  const { from, to } = dateWindow(query)
  const stats = await req.scope
    .resolve<InterestInsightsService>("interestInsightsService")
    .placementStats(from, to)
  res.json({
    from: from.toISOString(),
    to: to.toISOString(),
    attribution_window_days: ATTRIBUTION_WINDOW_DAYS,
    ...stats,
  })
}
