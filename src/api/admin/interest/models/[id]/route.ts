import { MedusaRequest, MedusaResponse } from "@medusajs/medusa"
import InterestModelVersionService from "../../../../../services/interest-model-version"

/** One model version with its metrics (artifacts are left out: they are large and opaque). */
export const GET = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const model = await req.scope
    .resolve<InterestModelVersionService>("interestModelVersionService")
    .retrieve(req.params.id)
  res.json({ model })
}

/** Soft-deletes a version; the active one is refused (400 not_allowed). */
export const DELETE = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  await req.scope.resolve<InterestModelVersionService>("interestModelVersionService").delete(req.params.id)
  res.json({ id: req.params.id, object: "interest_model_version", deleted: true })
}
