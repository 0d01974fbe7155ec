import { MedusaRequest, MedusaResponse, validator } from "@medusajs/medusa"
import { Type } from "class-transformer"
import { IsInt, IsOptional, Max, Min } from "class-validator"
import InterestSegmentService from "../../../../../../services/interest-segment"

export class AdminGetInterestSegmentMembersParams {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number = 0

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number = 50
}

/** A segment's customers (email and names joined), closest to the centroid first. */
export const GET = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const query = await validator(AdminGetInterestSegmentMembersParams, req.query)
  const offset = query.offset ?? 0
  const limit = query.limit ?? 50
  const [members, count] = await req.scope
    .resolve<InterestSegmentService>("interestSegmentService")
    .listMembers(req.params.id, { skip: offset, take: limit })
  res.json({ members, count, offset, limit })
}
