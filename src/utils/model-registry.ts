import { EntityManager } from "typeorm"
import { loadArtifacts, LoadedModel, TrainedArtifacts } from "../engine/pipeline"

export interface ActiveModel {
  versionId: string
  trainedAt: Date
  model: LoadedModel
}

/**
 * Holds the active model in memory, loaded once per version. Services are
 * rebuilt per transaction (withTransaction), so the model lives here, not on
 * a service. The active id is re-read at most every `ttlMs`, so a version
 * activated on another instance is picked up within seconds.
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

  private async refresh(manager: EntityManager): Promise<ActiveModel | null> {
    const [row] = await manager.query(
      `SELECT id, updated_at FROM interest_model_version WHERE is_active AND deleted_at IS NULL AND status = 'ready' LIMIT 1`
    )
    if (!row) {
      this.current = null
    } else if (this.current?.versionId !== row.id) {
      const [full] = await manager.query(`SELECT artifacts, created_at FROM interest_model_version WHERE id = $1`, [row.id])
      const artifacts = full?.artifacts as TrainedArtifacts | undefined
      this.current = artifacts
        ? { versionId: row.id, trainedAt: new Date(artifacts.createdAt ?? full.created_at), model: loadArtifacts(artifacts) }
        : null
    }
    this.checkedAt = Date.now()
    return this.current
  }
}

export const modelRegistry = new ModelRegistry()
