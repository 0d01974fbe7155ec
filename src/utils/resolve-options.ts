import { DEFAULT_OPTIONS, InterestPluginOptions } from "../types/options"

/**
 * Medusa hands a plugin its `options`, but hands the *project* plugin (this repo
 * running as the dev shop) the whole config module; there the options live
 * under the config module's `interest` key.
 */
export function resolveOptions(raw: unknown): InterestPluginOptions {
  const source = (isRecord(raw) && "projectConfig" in raw ? raw.interest : raw) ?? {}
  if (!isRecord(source)) {
    throw new Error("medusa-plugin-interest: options must be an object.")
  }
  const given = source as Partial<InterestPluginOptions>
  const options: InterestPluginOptions = {
    ...DEFAULT_OPTIONS,
    ...given,
    eventWeights: { ...DEFAULT_OPTIONS.eventWeights, ...(given.eventWeights ?? {}) },
    kRange: { ...DEFAULT_OPTIONS.kRange, ...(given.kRange ?? {}) },
    placementLimits: { ...DEFAULT_OPTIONS.placementLimits, ...(given.placementLimits ?? {}) },
  }
  validate(options)
  return options
}

function validate(o: InterestPluginOptions): void {
  const problems: string[] = []
  if (!["day", "week", "month"].includes(o.period)) problems.push(`period must be day, week or month`)
  if (!(o.kRange.min >= 2 && o.kRange.max >= o.kRange.min)) problems.push(`kRange needs 2 <= min <= max`)
  if (!(o.maxBatchSize >= 1 && o.maxBatchSize <= 1000)) problems.push(`maxBatchSize must be 1..1000`)
  if (!(o.placementLimits.default >= 1 && o.placementLimits.max >= o.placementLimits.default)) {
    problems.push(`placementLimits needs 1 <= default <= max`)
  }
  for (const [type, w] of Object.entries(o.eventWeights)) {
    if (typeof w !== "number" || !(w >= 0)) problems.push(`eventWeights.${type} must be a number >= 0`)
  }
  if (problems.length) {
    throw new Error(`medusa-plugin-interest: invalid options: ${problems.join("; ")}.`)
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v)
}
