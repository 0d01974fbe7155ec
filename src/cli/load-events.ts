import * as fs from "fs"
import * as path from "path"
import { ParsedEvents, parseInterestEventsCsv } from "../engine/data/csv"
import { PeriodUnit, isPeriodUnit } from "../engine/data/periods"

export function loadEventsFile(file: string): ParsedEvents {
  if (!fs.existsSync(file)) throw new Error(`Events file not found: ${file}`)
  return parseInterestEventsCsv(fs.readFileSync(file, "utf8"), path.basename(file))
}

export function parsePeriod(value: string | undefined, fallback: PeriodUnit): PeriodUnit {
  if (value === undefined) return fallback
  if (!isPeriodUnit(value)) throw new Error(`--period must be day, week or month, got "${value}".`)
  return value
}
