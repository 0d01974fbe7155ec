import { Type } from "class-transformer"
import { IsIn, IsInt, IsOptional, Max, Min } from "class-validator"
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

/** The service's query from validated parameters. */
export function flowQuery(q: AdminGetInterestFlowParams & { limit?: number }): FlowQuery {
  return {
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? new Date(q.to) : undefined,
    period: q.period,
    limit: q.limit,
  }
}
