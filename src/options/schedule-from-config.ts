import { DEFAULT_OPTIONS } from "./plugin-options"
import { resolveOptions } from "./resolve-options"

const PLUGIN_NAME = "medusa-plugin-interest"

/**
 * The training schedule from a shop's config module. Medusa reads a job's
 * `config` when it loads the file, before any plugin option reaches a service,
 * so the job looks its option up in the config module itself: the plugins
 * entry of a merchant's shop, or the `interest` key of the dev shop.
 */
export function scheduleFromConfig(configModule: unknown): string {
  if (typeof configModule !== "object" || configModule === null) return DEFAULT_OPTIONS.schedule
  const plugins = (configModule as { plugins?: unknown[] }).plugins ?? []
  const entry = plugins.find(
    (p): p is { resolve: string; options?: unknown } =>
      typeof p === "object" && p !== null && typeof (p as { resolve?: unknown }).resolve === "string" &&
      ((p as { resolve: string }).resolve === PLUGIN_NAME || (p as { resolve: string }).resolve.endsWith(`/${PLUGIN_NAME}`))
  )
  return resolveOptions(entry ? entry.options ?? {} : configModule).schedule
}
