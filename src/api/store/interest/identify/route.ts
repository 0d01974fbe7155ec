import { MedusaRequest, MedusaResponse } from "@medusajs/medusa"
import { MedusaError } from "medusa-core-utils"
import { plainToInstance } from "class-transformer"
import { IsString, Matches, validateSync } from "class-validator"
import InterestEventService from "../../../../services/interest-event"
import { VISITOR_ID_PATTERN } from "../../../../types/events"
import { loggedInCustomerId } from "../../../helpers/subject"

export class StorePostInterestIdentifyReq {
  @IsString()
  @Matches(VISITOR_ID_PATTERN, { message: "visitor_id must be 8-64 characters of A-Z, a-z, 0-9, _ or -" })
  visitor_id: string
}

/**
 * After login: links the visitor id to the logged-in customer, once, and the
 * visitor's anonymous events become theirs (InterestEventService.identify).
 * 200 with `moved`; 409 when the visitor id is another customer's.
 */
export const POST = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const customerId = loggedInCustomerId(req)
  if (!customerId) {
    res.status(401).json({ type: "unauthorized", message: "Log in as a customer to identify a visitor." })
    return
  }
  if (!req.is("application/json")) {
    res.status(415).json({ type: "invalid_data", message: "Content-Type must be application/json." })
    return
  }
  const body = plainToInstance(StorePostInterestIdentifyReq, req.body ?? {})
  const errors = validateSync(body, { whitelist: true, forbidNonWhitelisted: true })
  if (typeof req.body !== "object" || errors.length) {
    const message = errors.flatMap((e) => Object.values(e.constraints ?? {})).join(", ")
    throw new MedusaError(MedusaError.Types.INVALID_DATA, message || "The body must be a JSON object.")
  }
  let moved: number
  try {
    moved = await req.scope.resolve<InterestEventService>("interestEventService").identify(customerId, body.visitor_id)
  } catch (e) {
    // Medusa's error handler words every CONFLICT as an idempotency-key clash: say what it is.
    if ((e as MedusaError)?.type === MedusaError.Types.CONFLICT) {
      res.status(409).json({ type: "conflict", message: (e as MedusaError).message })
      return
    }
    throw e
  }
  res.status(200).json({ customer_id: customerId, visitor_id: body.visitor_id, moved })
}
