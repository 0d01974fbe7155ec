import { MedusaRequest, MedusaResponse, validator } from "@medusajs/medusa"
import InterestFlowsService from "../../../../services/interest-flows"
import { AdminGetInterestSeasonsParams } from "../flow-params"

/**
 * Each top category's seasonal index (month of the year, or day of the week)
 * over the active model's history, when it spans at least one cycle.
 */
export const GET = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const query = await validator(AdminGetInterestSeasonsParams, req.query)
  const report = await req.scope.resolve<InterestFlowsService>("interestFlowsService").seasons({
    cycle: query.cycle,
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
    limit: query.limit,
  })
  res.json(report)
}
