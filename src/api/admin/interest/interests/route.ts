import { MedusaRequest, MedusaResponse, validator } from "@medusajs/medusa"
import InterestFlowsService from "../../../../services/interest-flows"
import { AdminGetInterestSharesParams, flowQuery } from "../flow-params"

/**
 * Share of interest per top category over the periods of [from, to), from the
 * active model, with the categories rising and falling marked.
 */
export const GET = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const query = await validator(AdminGetInterestSharesParams, req.query)
  const report = await req.scope.resolve<InterestFlowsService>("interestFlowsService").shares(flowQuery(query))
  res.json(report)
}
