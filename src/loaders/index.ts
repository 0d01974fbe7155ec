import { MedusaContainer } from "@medusajs/medusa"
import { asValue } from "awilix"
import type InterestEventService from "../services/interest-event"
import type InterestTrainingService from "../services/interest-training"
import { resolveOptions } from "../options/resolve-options"

/**
 * Medusa's Redis event bus starts consuming jobs before plugin subscribers are
 * registered, so `order.placed` jobs waiting at a restart can complete unseen.
 * Once the shop is up, the orders of the last days are checked for purchases
 * that were never recorded.
 */
const RECONCILE_AFTER_BOOT_MS = 15_000

type Logger = { info(m: string): void; warn(m: string): void }

/**
 * Registers the plugin's resolved options as `interestOptions`, so routes,
 * services and subscribers read one checked, defaulted object. Bad options stop
 * the shop at boot with a readable message instead of failing later. Training
 * runs left "running" by a process that died are failed before the shop
 * serves, so nobody sees them as running.
 */
export default async function interestLoader(container: MedusaContainer, options: unknown): Promise<void> {
  container.register("interestOptions", asValue(resolveOptions(options)))
  await failInterruptedRunsAtBoot(container)
  setTimeout(() => void reconcileOrdersAfterBoot(container), RECONCILE_AFTER_BOOT_MS).unref()
}

async function failInterruptedRunsAtBoot(container: MedusaContainer): Promise<void> {
  const logger = container.resolve<Logger>("logger")
  try {
    const failed = await container.resolve<InterestTrainingService>("interestTrainingService").failInterruptedRuns()
    if (failed) logger.info(`medusa-plugin-interest: ${failed} training run(s) whose process stopped marked failed`)
  } catch (e) {
    // A database without the plugin's tables yet (migrations not run) must not stop the shop.
    logger.warn(`medusa-plugin-interest: could not check for interrupted training runs: ${(e as Error).message}`)
  }
}

async function reconcileOrdersAfterBoot(container: MedusaContainer): Promise<void> {
  try {
    await container.resolve<InterestEventService>("interestEventService").reconcileOrders()
  } catch (e) {
    // The next training run reconciles again; a shop that is still starting its database must not crash for this.
    container.resolve<Logger>("logger").warn(`medusa-plugin-interest: could not check recent orders for missing purchases: ${(e as Error).message}`)
  }
}
