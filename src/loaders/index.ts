import { MedusaContainer } from "@medusajs/medusa"
import { asValue } from "awilix"
import { resolveOptions } from "../utils/resolve-options"

/**
 * Registers the plugin's resolved options as `interestOptions`, so routes,
 * services and subscribers read one checked, defaulted object. Bad options stop
 * the shop at boot with a readable message instead of failing later.
 */
export default async function interestLoader(container: MedusaContainer, options: unknown): Promise<void> {
  container.register("interestOptions", asValue(resolveOptions(options)))
}
