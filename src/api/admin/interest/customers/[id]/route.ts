import { MedusaRequest, MedusaResponse, validator } from "@medusajs/medusa"
import { Type } from "class-transformer"
import { IsIn, IsInt, IsOptional, Max, Min } from "class-validator"
import InterestInsightsService from "../../../../../services/interest-insights"

export class AdminGetInterestCustomerParams {
  /** Keep one period length of the timeline. */
  @IsOptional()
  @IsIn(["day", "week", "month"])
  period?: string

  /** The most recent profiles to return (oldest first). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number = 104
}

/** One customer: interest timeline, segment, the active model's recommendations. */
export const GET = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const query = await validator(AdminGetInterestCustomerParams, req.query)
  const insights = await req.scope
    .resolve<InterestInsightsService>("interestInsightsService")
    .retrieveCustomer(req.params.id, { period: query.period, limit: query.limit })
  res.json(insights)
}
