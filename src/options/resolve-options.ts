import { getConfigFile } from "medusa-core-utils"
import { checkInfluenceOptions } from "../engine/profiles/influence"
import { DEFAULT_OPTIONS, DEFAULT_RATE_LIMIT, InterestPluginOptions, RateLimitBudgets } from "./plugin-options"
import { compileTrustedProxies } from "../api/helpers/client-ip"

/**
 * Medusa hands a plugin its `options`, but hands the *project* plugin (this repo
 * running as the dev shop) the whole config module; there the options live
 * under the config module's `interest` key.
 */
export function resolveOptions(raw: unknown): InterestPluginOptions {
  const source = (isRecord(raw) && "projectConfig" in raw ? projectPluginOptions(raw) : raw) ?? {}
  if (!isRecord(source)) {
    throw new Error("medusa-plugin-interest: options must be an object.")
  }
  const given = source as Partial<InterestPluginOptions>
  const options: InterestPluginOptions = {
    ...DEFAULT_OPTIONS,
    ...given,
    eventWeights: { ...DEFAULT_OPTIONS.eventWeights, ...(given.eventWeights ?? {}) },
    influence: { ...DEFAULT_OPTIONS.influence, ...(given.influence ?? {}) },
    kRange: { ...DEFAULT_OPTIONS.kRange, ...(given.kRange ?? {}) },
    placementLimits: { ...DEFAULT_OPTIONS.placementLimits, ...(given.placementLimits ?? {}) },
    rateLimit: mergeRateLimit(given.rateLimit),
  }
  validate(options)
  return options
}

function validate(o: InterestPluginOptions): void {
  const problems: string[] = []
  if (!["day", "week", "month"].includes(o.period)) problems.push(`period must be day, week or month`)
  if (!(o.kRange.min >= 2 && o.kRange.max >= o.kRange.min)) problems.push(`kRange needs 2 <= min <= max`)
  if (!(o.maxBatchSize >= 1 && o.maxBatchSize <= 1000)) problems.push(`maxBatchSize must be 1..1000`)
  if (!(Number.isInteger(o.trainingMaxHeapMb) && o.trainingMaxHeapMb >= 256)) {
    problems.push(`trainingMaxHeapMb must be an integer >= 256`)
  }
  if (!(o.placementLimits.default >= 1 && o.placementLimits.max >= o.placementLimits.default)) {
    problems.push(`placementLimits needs 1 <= default <= max`)
  }
  if (typeof o.demoStorefront !== "boolean") problems.push(`demoStorefront must be true or false`)
  for (const [type, w] of Object.entries(o.eventWeights)) {
    if (typeof w !== "number" || !(w >= 0)) problems.push(`eventWeights.${type} must be a number >= 0`)
  }
  try {
    checkInfluenceOptions(o.influence)
  } catch (e) {
    problems.push((e as Error).message.replace(/\.$/, ""))
  }
  if (o.rateLimit !== false) problems.push(...rateLimitProblems(o.rateLimit, o.maxBatchSize))
  if (!Array.isArray(o.trustedProxies) || !o.trustedProxies.every((p) => typeof p === "string")) {
    problems.push(`trustedProxies must be an array of IP addresses or CIDR ranges`)
  } else {
    try {
      compileTrustedProxies(o.trustedProxies)
    } catch (e) {
      problems.push((e as Error).message)
    }
  }
  if (problems.length) {
    throw new Error(`medusa-plugin-interest: invalid options: ${problems.join("; ")}.`)
  }
}

/** `false` turns the limits off; an object replaces the default budgets it names. */
function mergeRateLimit(given: unknown): InterestPluginOptions["rateLimit"] {
  if (given === false) return false
  if (given === undefined) return { ...DEFAULT_RATE_LIMIT }
  if (!isRecord(given)) {
    throw new Error(`medusa-plugin-interest: invalid options: rateLimit must be false or an object of budgets.`)
  }
  return { ...DEFAULT_RATE_LIMIT, ...given } as RateLimitBudgets
}

function rateLimitProblems(r: RateLimitBudgets, maxBatchSize: number): string[] {
  const problems: string[] = []
  const known = Object.keys(DEFAULT_RATE_LIMIT)
  for (const key of Object.keys(r)) {
    if (!known.includes(key)) problems.push(`rateLimit.${key} is not an option (budgets: ${known.join(", ")})`)
  }
  for (const key of known as (keyof RateLimitBudgets)[]) {
    const v = r[key]
    if (!(typeof v === "number" && Number.isInteger(v) && v >= 1)) problems.push(`rateLimit.${key} must be a whole number >= 1`)
  }
  // A full batch must fit an empty budget, else a storefront's batch could never get through.
  for (const key of ["eventsPerShopper", "eventsPerIp"] as const) {
    if (typeof r[key] === "number" && r[key] < maxBatchSize) {
      problems.push(`rateLimit.${key} must be at least maxBatchSize (${maxBatchSize})`)
    }
  }
  return problems
}

/**
 * Medusa's config loader keeps only `projectConfig`, `modules`, `featureFlags`
 * and `plugins` of medusa-config.js, so the config module the project plugin
 * gets has no `interest` key: read it from the shop's medusa-config.js itself
 * (Medusa runs from the shop's root, as its own config loader assumes).
 */
function projectPluginOptions(configModule: Record<string, unknown>): unknown {
  if ("interest" in configModule) return configModule.interest
  const { configModule: file } = getConfigFile<Record<string, unknown>>(process.cwd(), "medusa-config")
  return isRecord(file) ? file.interest : undefined
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v)
}
