import type { InterestExperiment } from "../models/interest-experiment"
import { modelRegistry } from "./model-registry"

/**
 * The experiments that decide what each placement serves (the running one, or
 * a shipped winner), held in memory: serving asks on every request, the table
 * changes a few times a month. Re-read at most every `ttlMs`, so a start or
 * stop on another instance is followed within seconds; `invalidate()` makes
 * this process follow its own at once. Each read tells the model registry
 * which model versions the arms name, so it holds exactly those beside the
 * active one.
 */
class ServingExperiments {
  private byPlacement = new Map<string, InterestExperiment>()
  private checkedAt = 0
  private loading: Promise<void> | null = null

  constructor(private readonly ttlMs = 3000) {}

  /**
   * @param placement - the placement being served
   * @param load - reads the running experiments and shipped winners
   * @return what decides the placement, or null (the model serves everyone)
   */
  async forPlacement(placement: string, load: () => Promise<InterestExperiment[]>): Promise<InterestExperiment | null> {
    if (Date.now() - this.checkedAt >= this.ttlMs) {
      this.loading ??= load()
        .then((rows) => {
          this.byPlacement = new Map(rows.map((r) => [r.placement, r]))
          modelRegistry.retain(namedVersions(rows))
          this.checkedAt = Date.now()
        })
        .finally(() => (this.loading = null))
      await this.loading
    }
    return this.byPlacement.get(placement) ?? null
  }

  invalidate(): void {
    this.checkedAt = 0
  }
}

/** The model versions that serve: every arm's of a running experiment, the winner's of a shipped one. */
export function namedVersions(experiments: InterestExperiment[]): string[] {
  const ids: string[] = []
  for (const x of experiments) {
    for (const arm of x.arms) {
      if (arm.model_version_id && (x.status === "running" || arm.name === x.winner)) ids.push(arm.model_version_id)
    }
  }
  return ids
}

export const servingExperiments = new ServingExperiments()
