import { ScheduledJobArgs, ScheduledJobConfig } from "@medusajs/medusa"
import { getConfigFile } from "medusa-core-utils"
import InterestTrainingService from "../services/interest-training"
import { scheduleFromConfig } from "../options/schedule-from-config"

/** Retrains the interest model on the plugin's `schedule` (nightly by default; needs redis_url). */
export default async function trainInterestModel({ container }: ScheduledJobArgs): Promise<void> {
  const training = container.resolve<InterestTrainingService>("interestTrainingService")
  const logger = container.resolve<{ info(m: string): void }>("logger")
  const { run, alreadyRunning } = await training.runNow("schedule")
  logger.info(
    alreadyRunning
      ? `medusa-plugin-interest: scheduled training skipped, run ${run.id} was already going`
      : `medusa-plugin-interest: scheduled training run ${run.id} ${run.status}`
  )
}

function schedule(): string {
  try {
    return scheduleFromConfig(getConfigFile(process.cwd(), "medusa-config").configModule)
  } catch {
    return scheduleFromConfig(undefined)
  }
}

export const config: ScheduledJobConfig = {
  name: "interest-training",
  schedule: schedule(),
}
