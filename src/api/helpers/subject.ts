import { MedusaRequest } from "@medusajs/medusa"

/** The logged-in customer of a store request, if any (session or bearer token). */
export function loggedInCustomerId(req: MedusaRequest): string | null {
  const user = req.user as { customer_id?: string } | undefined
  return user?.customer_id ?? null
}
