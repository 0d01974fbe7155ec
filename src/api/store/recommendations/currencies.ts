import { MedusaRequest } from "@medusajs/medusa"
import { EntityManager } from "typeorm"

/** Medusa's currency table is fixed reference data (ISO 4217), read once per process. */
let codes: Promise<Set<string>> | null = null

/**
 * Whether Medusa knows this currency (lower-case ISO 4217 code).
 * @param req - the request, for its container's database manager
 * @param code - lower-case code
 */
export async function knownCurrency(req: MedusaRequest, code: string): Promise<boolean> {
  codes ??= req.scope
    .resolve<EntityManager>("manager")
    .query(`SELECT code FROM currency`)
    .then((rows: { code: string }[]) => new Set(rows.map((r) => r.code.toLowerCase())))
    .catch((e: unknown) => {
      codes = null
      throw e
    })
  return (await codes).has(code)
}
