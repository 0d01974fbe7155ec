import { MedusaRequest, MedusaResponse, validator } from "@medusajs/medusa"
import { Type } from "class-transformer"
import { IsInt, IsOptional, Max, Min } from "class-validator"
import InterestInsightsService, { SUSPICIOUS_RULE } from "../../../../../services/interest-insights"
import { AdminDateWindowParams, dateWindow } from "../../date-window"

export class AdminGetInterestSuspiciousContributorsParams extends AdminDateWindowParams {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number = 20
}

/**
 * The products whose signal over a window (default the last 30 days) comes
 * mostly from one or a few shoppers, heaviest signal first.
 */
export const GET = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const query = await validator(AdminGetInterestSuspiciousContributorsParams, req.query)
  const { from, to } = dateWindow(query)
  const limit = query.limit ?? 20
  const products = await req.scope
    .resolve<InterestInsightsService>("interestInsightsService")
    .suspiciousProducts(from, to, limit)
  res.json({ products, count: products.length, limit, from: from.toISOString(), to: to.toISOString(), rule: SUSPICIOUS_RULE })
}
