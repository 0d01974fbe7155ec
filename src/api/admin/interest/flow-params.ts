import { Type } from "class-transformer"
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from "class-validator"
import { PERIOD_UNITS, PeriodUnit } from "../../../engine/data/periods"
import { SEASON_CYCLES, SeasonCycle } from "../../../engine/flows/seasons"
import type { FlowQuery } from "../../../services/interest-flows"
import { AdminDateWindowParams } from "./date-window"

/**
 * Query of the interest flow reports: a window [from, to) and a period unit.
 * Defaults come from the active model (its period unit, its last 12 periods),
 * so they are applied by the service, not here.
 */
export class AdminGetInterestFlowParams extends AdminDateWindowParams {
  /** day, week or month; default the model's own (a model keeping weeks cannot answer days). */
  @IsOptional()
  @IsIn(PERIOD_UNITS)
  period?: PeriodUnit
}

export class AdminGetInterestSharesParams extends AdminGetInterestFlowParams {
  /** Categories shown one by one (the rest as "other"). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(20)
  limit?: number = 8
}

export class AdminGetInterestTransitionsParams extends AdminGetInterestFlowParams {
  /** Categories in the matrix. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  limit?: number = 20
}

export class AdminGetInterestSeasonsParams extends AdminDateWindowParams {
  /** "month" (months of the year, default) or "weekday" (days of the week; models of day periods). */
  @IsOptional()
  @IsIn(SEASON_CYCLES)
  cycle?: SeasonCycle

  /** Categories reported, most interest first. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  limit?: number = 8
}

/** A model version id as the plugin writes them (`imv_` + ULID); anything else cannot name one. */
const VERSION_ID = /^[A-Za-z0-9_-]{1,64}$/

/** Query of the segment flow: two model versions; defaults (the last two) come from the service. */
export class AdminGetSegmentFlowParams {
  /** The earlier version; default the one trained before `to`. */
  @IsOptional()
  @IsString()
  @Matches(VERSION_ID, { message: "from must be a model version id (1-64 characters of A-Z, a-z, 0-9, _ or -)" })
  from?: string

  /** The later version; default the latest ready one. */
  @IsOptional()
  @IsString()
  @Matches(VERSION_ID, { message: "to must be a model version id (1-64 characters of A-Z, a-z, 0-9, _ or -)" })
  to?: string
}

/** The service's query from validated parameters. */
export function flowQuery(q: AdminGetInterestFlowParams & { limit?: number }): FlowQuery {
  return {
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? new Date(q.to) : undefined,
    period: q.period,
    limit: q.limit,
  }
}
