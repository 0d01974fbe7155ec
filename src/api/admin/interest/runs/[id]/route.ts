import { MedusaRequest, MedusaResponse } from "@medusajs/medusa"
import InterestTrainingService from "../../../../../services/interest-training"

/** A training run: status running|succeeded|failed, progress, error, model version. */
export const GET = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const training = req.scope.resolve<InterestTrainingService>("interestTrainingService")
  const run = await training.retrieveRun(req.params.id)
  res.json({ run })
}
