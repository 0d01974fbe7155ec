import type { MedusaRequest, MedusaResponse } from "@medusajs/medusa"
import type { EntityManager } from "typeorm"

/** Where the merchant is in the getting-started guide (a 500 until the shop's migration ran). */
export async function GET(req: MedusaRequest, res: MedusaResponse): Promise<void> {
  const manager: EntityManager = req.scope.resolve("manager")
  const [status] = await manager.query(`SELECT "id", "current_step", "is_complete" FROM "onboarding_state" LIMIT 1`)
  res.status(200).json({ status })
}
