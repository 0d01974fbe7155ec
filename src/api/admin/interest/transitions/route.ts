import { MedusaRequest, MedusaResponse, validator } from "@medusajs/medusa"
import InterestFlowsService from "../../../../services/interest-flows"
import { AdminGetInterestTransitionsParams, flowQuery } from "../flow-params"

/**
 * Where customers go next: the category-to-category transition matrix of the
 * active model over [from, to), with the customers behind each cell.
 */
export const GET = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const query = await validator(AdminGetInterestTransitionsParams, req.query)
  const report = await req.scope.resolve<InterestFlowsService>("interestFlowsService").transitions(flowQuery(query))
  res.json(report)
}
