import { MedusaRequest, MedusaResponse, validator } from "@medusajs/medusa"
import { Type } from "class-transformer"
import { IsIn, IsInt, IsOptional, Max, Min } from "class-validator"
import InterestModelVersionService from "../../../../services/interest-model-version"

export class AdminGetInterestModelsParams {
  @IsOptional()
  @IsIn(["training", "ready", "failed"])
  status?: string

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number = 0

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number = 20
}

/** Trained model versions, newest first, without their (large) artifacts. */
export const GET = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const query = await validator(AdminGetInterestModelsParams, req.query)
  const offset = query.offset ?? 0
  const limit = query.limit ?? 20
  const [models, count] = await req.scope
    .resolve<InterestModelVersionService>("interestModelVersionService")
    .listAndCount({ status: query.status }, { skip: offset, take: limit })
  res.json({ models, count, offset, limit })
}
