/**
 * Calendar periods as integers, so that "the same period" and "the next period"
 * are integer comparisons. Weeks start on Monday (ISO); all arithmetic is UTC.
 */
import { assertUnreachable } from "../util/options"

export type PeriodUnit = "day" | "week" | "month"

export const PERIOD_UNITS: readonly PeriodUnit[] = ["day", "week", "month"]

export const HOUR_MS = 3_600_000
export const DAY_MS = 24 * HOUR_MS
/** A month's average length in days (365.25 / 12, rounded). */
const MONTH_DAYS = 30.44
/** 1970-01-01 was a Thursday; shifting by 3 days makes weeks start on Monday. */
const MONDAY_SHIFT_DAYS = 3

export function isPeriodUnit(value: string): value is PeriodUnit {
  return (PERIOD_UNITS as readonly string[]).includes(value)
}

/** Index of the period holding `timestampMs` (days, weeks or months since 1970). */
export function periodOf(timestampMs: number, unit: PeriodUnit): number {
  switch (unit) {
    case "day":
      return Math.floor(timestampMs / DAY_MS)
    case "week":
      return Math.floor((Math.floor(timestampMs / DAY_MS) + MONDAY_SHIFT_DAYS) / 7)
    case "month": {
      const d = new Date(timestampMs)
      return (d.getUTCFullYear() - 1970) * 12 + d.getUTCMonth()
    }
    default:
      return assertUnreachable(unit, "Unknown period unit")
  }
}

/** First millisecond of period `p`. */
export function periodStart(p: number, unit: PeriodUnit): number {
  switch (unit) {
    case "day":
      return p * DAY_MS
    case "week":
      return (p * 7 - MONDAY_SHIFT_DAYS) * DAY_MS
    case "month":
      return Date.UTC(1970 + Math.floor(p / 12), ((p % 12) + 12) % 12, 1)
    default:
      return assertUnreachable(unit, "Unknown period unit")
  }
}

/** Typical length of a period in days, for decay half-lives expressed in days. */
export function periodLengthDays(unit: PeriodUnit): number {
  return unit === "day" ? 1 : unit === "week" ? 7 : MONTH_DAYS
}

/**
 * Where the period sits in the year, as a point on the unit circle:
 * [sin(2 pi f), cos(2 pi f)] with f the fraction of the year elapsed at the
 * period's middle. December and January end up next to each other, which a
 * plain month number would not give a model.
 */
export function seasonEncoding(p: number, unit: PeriodUnit): [number, number] {
  const start = periodStart(p, unit)
  const middle = start + (periodLengthDays(unit) * DAY_MS) / 2
  const d = new Date(middle)
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1)
  const yearEnd = Date.UTC(d.getUTCFullYear() + 1, 0, 1)
  const f = (middle - yearStart) / (yearEnd - yearStart)
  return [Math.sin(2 * Math.PI * f), Math.cos(2 * Math.PI * f)]
}
