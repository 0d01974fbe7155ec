import { MedusaRequest, MedusaResponse } from "@medusajs/medusa"
import InterestExperimentService from "../../../../../../services/interest-experiment"

/** Starts a draft; 400 when another experiment runs on its placement. */
export const POST = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const experiment = await req.scope.resolve<InterestExperimentService>("interestExperimentService").start(req.params.id)
  res.json({ experiment })
}
