import { MedusaRequest, MedusaResponse, validator } from "@medusajs/medusa"
import { Type } from "class-transformer"
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from "class-validator"
import InterestSegmentService, { SegmentStatusFilter } from "../../../../services/interest-segment"

export class AdminGetInterestSegmentsParams {
  /** active (default), retired, or all */
  @IsOptional()
  @IsIn(["active", "retired", "all"])
  status?: SegmentStatusFilter = "active"

  /** Part of the segment's name, case-insensitive. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number = 0

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number = 20
}

/** Segments, largest first: size, top interests, drift, pinned, linked customer group. */
export const GET = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const query = await validator(AdminGetInterestSegmentsParams, req.query)
  const offset = query.offset ?? 0
  const limit = query.limit ?? 20
  const [segments, count] = await req.scope
    .resolve<InterestSegmentService>("interestSegmentService")
    .listAndCount({ status: query.status, q: query.q }, { skip: offset, take: limit })
  res.json({ segments, count, offset, limit })
}
