import { EntityManager } from "typeorm"
import { loadArtifacts, LoadedModel } from "../engine/pipeline"
import { InterestModelVersionRepository } from "../repositories/interest-model-version"

export interface ActiveModel {
  versionId: string
  /** The version row's `updated_at` when loaded: an erasure rewrites the row's artifacts and moves it. */
  revision: string
  trainedAt: Date
  model: LoadedModel
}

/**
 * Holds the active model in memory, loaded once per version. Services are
 * rebuilt per transaction (withTransaction), so the model lives here, not on
 * a service. The active id and its revision (`updated_at`) are re-read at most
 * every `ttlMs`, so a version activated on another instance, or rewritten there
 * by an erasure, is picked up within seconds.
 */
class ModelRegistry {
  private current: ActiveModel | null = null
  private checkedAt = 0
  private loading: Promise<ActiveModel | null> | null = null

  constructor(private readonly ttlMs = 3000) {}

  async getActive(manager: EntityManager): Promise<ActiveModel | null> {
    if (Date.now() - this.checkedAt < this.ttlMs) return this.current
    this.loading ??= this.refresh(manager).finally(() => (this.loading = null))
    // Once something was loaded, a request never waits for the re-check: it is
    // served by the version held now while the check (and a new version's
    // load) runs beside it. Only the first request, or one after invalidate(), waits.
    if (this.checkedAt > 0) {
      this.loading.catch(() => undefined)
      return this.current
    }
    return await this.loading
  }

  /** The next request waits for a fresh look at the active version (after an activation in this process). */
  invalidate(): void {
    this.checkedAt = 0
  }

  /**
   * Loads the active version again now (after an erasure in this process), so
   * the next request is served by what is stored from here on; a check already
   * under way may have read the row before the change, so it is not reused.
   */
  async reload(manager: EntityManager): Promise<ActiveModel | null> {
    await this.loading?.catch(() => undefined)
    this.invalidate()
    return await this.getActive(manager)
  }

  private async refresh(manager: EntityManager): Promise<ActiveModel | null> {
    const versions = manager.withRepository(InterestModelVersionRepository)
    const row = await versions.activeRevision()
    if (!row) {
      this.current = null
    } else if (!this.current || this.current.versionId !== row.id || this.current.revision !== row.revision) {
      const full = await versions.artifactsOf(row.id)
      const artifacts = full?.artifacts
      this.current = full && artifacts
        ? { versionId: row.id, revision: row.revision, trainedAt: new Date(artifacts.createdAt ?? full.created_at), model: loadArtifacts(artifacts) }
        : null
    }
    this.checkedAt = Date.now()
    return this.current
  }
}

export const modelRegistry = new ModelRegistry()
