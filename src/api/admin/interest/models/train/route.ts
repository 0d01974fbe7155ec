import { MedusaRequest, MedusaResponse } from "@medusajs/medusa"
import InterestTrainingService from "../../../../../services/interest-training"

/**
 * Starts a training run and answers at once (202) with its id; poll
 * `GET /admin/interest/runs/:id` for progress. When a run is already going
 * (here or on another instance) that run is returned with `already_running`.
 */
export const POST = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const training = req.scope.resolve<InterestTrainingService>("interestTrainingService")
  const { run, alreadyRunning } = await training.start("admin")
  res.status(202).json({ run, already_running: alreadyRunning })
}
