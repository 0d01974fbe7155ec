import { MedusaRequest, MedusaResponse } from "@medusajs/medusa"
import InterestModelVersionService from "../../../../../../services/interest-model-version"

/**
 * Makes a ready version the serving one (also the way to roll back): the
 * current one is switched off in the same transaction.
 */
export const POST = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const model = await req.scope
    .resolve<InterestModelVersionService>("interestModelVersionService")
    .activate(req.params.id)
  res.json({ model })
}
