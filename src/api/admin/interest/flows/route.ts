import { MedusaRequest, MedusaResponse, validator } from "@medusajs/medusa"
import InterestSegmentFlowService from "../../../../services/interest-segment-flow"
import { AdminGetSegmentFlowParams } from "../flow-params"

/**
 * Where customers moved between the segments of two model versions (the last
 * two by default), and each segment's size and centroid shift over its last runs.
 */
export const GET = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const query = await validator(AdminGetSegmentFlowParams, req.query)
  const report = await req.scope
    .resolve<InterestSegmentFlowService>("interestSegmentFlowService")
    .flow({ from: query.from, to: query.to })
  res.json(report)
}
