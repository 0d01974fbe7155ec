import { IsISO8601, IsOptional } from "class-validator"
import { MedusaError } from "medusa-core-utils"

const DAY_MS = 24 * 3600 * 1000

/** How far back a window reaches when the query gives no `from`. */
export const DEFAULT_WINDOW_DAYS = 30

/** Query parameters of an admin report over a time window [from, to). */
export class AdminDateWindowParams {
  /** ISO 8601, inclusive; default 30 days before `to`. */
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string

  /** ISO 8601, exclusive; default now. */
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string
}

/**
 * The window a validated query asks for: `to` defaults to now, `from` to
 * DEFAULT_WINDOW_DAYS before `to`.
 * @throws MedusaError INVALID_DATA when a bound is not a date or `from` is after `to`
 */
export function dateWindow(query: AdminDateWindowParams): { from: Date; to: Date } {
  const to = query.to ? new Date(query.to) : new Date()
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_WINDOW_DAYS * DAY_MS)
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "from and to must be ISO 8601 dates.")
  }
  if (from.getTime() > to.getTime()) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "from must not be after to.")
  }
  return { from, to }
}
