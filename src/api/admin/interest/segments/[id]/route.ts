import { MedusaRequest, MedusaResponse, validator } from "@medusajs/medusa"
import { IsBoolean, IsOptional, Matches, IsString, MaxLength, ValidateIf } from "class-validator"
import InterestSegmentService from "../../../../../services/interest-segment"

/** One segment. */
export const GET = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const segment = await req.scope.resolve<InterestSegmentService>("interestSegmentService").retrieve(req.params.id)
  res.json({ segment })
}

export class AdminPostInterestSegmentReq {
  /** The merchant's name; training keeps it from now on (it only rewrites auto_name). */
  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: "name must not be blank" })
  @MaxLength(120)
  name?: string

  /** null clears it. */
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(2000)
  description?: string | null

  /** A pinned segment keeps its name and is never retired by a retrain. */
  @IsOptional()
  @IsBoolean()
  pinned?: boolean
}

/** Renames, describes or pins a segment. */
export const POST = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const body = await validator(AdminPostInterestSegmentReq, req.body ?? {})
  const segment = await req.scope
    .resolve<InterestSegmentService>("interestSegmentService")
    .update(req.params.id, body)
  res.json({ segment })
}
