import { MedusaRequest, MedusaResponse, validator } from "@medusajs/medusa"
import { IsOptional, IsString, Matches } from "class-validator"
import InterestExperimentService from "../../../../../../services/interest-experiment"

export class AdminPostInterestExperimentStopReq {
  /** Ship this arm: its strategy serves the whole placement from now on. */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,40}$/, { message: "winner must be an arm's name" })
  winner?: string
}

/** Stops a running experiment, shipping the `winner` arm if one is given. */
export const POST = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const body = await validator(AdminPostInterestExperimentStopReq, req.body ?? {})
  const experiment = await req.scope
    .resolve<InterestExperimentService>("interestExperimentService")
    .stop(req.params.id, body.winner ?? null)
  res.json({ experiment })
}
