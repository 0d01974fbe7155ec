import { MedusaRequest, MedusaResponse } from "@medusajs/medusa"
import InterestSegmentService from "../../../../../../services/interest-segment"

/**
 * Creates or updates the Medusa customer group "Interest: <segment name>" so it
 * holds exactly the segment's members; answers what changed.
 */
export const POST = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const result = await req.scope
    .resolve<InterestSegmentService>("interestSegmentService")
    .syncCustomerGroup(req.params.id)
  res.json(result)
}
