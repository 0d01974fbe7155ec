import { MedusaRequest, MedusaResponse, validator } from "@medusajs/medusa"
import { MedusaError } from "medusa-core-utils"
import { IsISO8601, IsOptional } from "class-validator"
import InterestInsightsService, { ATTRIBUTION_WINDOW_DAYS } from "../../../../services/interest-insights"

const DAY_MS = 24 * 3600 * 1000

export class AdminGetInterestStatsParams {
  /** ISO 8601, inclusive; default 30 days before `to`. */
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string

  /** ISO 8601, exclusive; default now. */
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string
}

/**
 * Per placement, for the lists served in [from, to): impressions, clicks,
 * add-to-carts, attributed purchases, ctr and conversion.
 */
export const GET = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const query = await validator(AdminGetInterestStatsParams, req.query)
  const to = query.to ? new Date(query.to) : new Date()
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS)
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "from and to must be ISO 8601 dates.")
  }
  if (from.getTime() > to.getTime()) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "from must not be after to.")
  }
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
