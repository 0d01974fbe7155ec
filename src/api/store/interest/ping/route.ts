import { MedusaRequest, MedusaResponse } from "@medusajs/medusa"

/**
 * A constant answer behind the same store middlewares as the plugin's other
 * store routes: the floor `bench:serve` measures the recommendations route
 * against, and a cheap liveness probe for the plugin's routes.
 */
export const GET = (_req: MedusaRequest, res: MedusaResponse): void => {
  res.json({ ok: true })
}
