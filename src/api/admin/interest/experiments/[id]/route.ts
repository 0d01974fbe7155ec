import { MedusaRequest, MedusaResponse } from "@medusajs/medusa"
import InterestExperimentService from "../../../../../services/interest-experiment"

/** One experiment. */
export const GET = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const experiment = await req.scope.resolve<InterestExperimentService>("interestExperimentService").retrieve(req.params.id)
  res.json({ experiment })
}
