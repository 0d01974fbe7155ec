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

type Versions = typeof InterestModelVersionRepository

/**
 * Holds the serving models in memory, each loaded once per version: the active
 * version, and the versions that experiment arms name (a candidate against the
 * active one; see `retain`). Services are rebuilt per transaction
 * (withTransaction), so the models live here, not on a service. Which versions
 * serve and their revisions (`updated_at`) are re-read at most every `ttlMs`,
 * so a version activated on another instance, or rewritten there by an
 * erasure, is picked up within seconds.
 */
class ModelRegistry {
  private current: ActiveModel | null = null
  /** Loaded versions that experiments name, by id (the active one too, when an arm names it). */
  private named = new Map<string, ActiveModel>()
  /** The ids experiments name, sorted. */
  private wanted: string[] = []
  /** The ids the last completed look covered: an id named since waits for a look of its own. */
  private covered = new Set<string>()
  private checkedAt = 0
  private loading: Promise<void> | null = null

  constructor(private readonly ttlMs = 3000) {}

  async getActive(manager: EntityManager): Promise<ActiveModel | null> {
    if (Date.now() - this.checkedAt < this.ttlMs) return this.current
    const loading = this.look(manager)
    // Once something was loaded, a request never waits for the re-check: it is
    // served by the version held now while the check (and a new version's
    // load) runs beside it. Only the first request, or one after invalidate(), waits.
    if (this.checkedAt > 0) {
      loading.catch(() => undefined)
      return this.current
    }
    await loading
    return this.current
  }

  /**
   * A version an experiment arm names (it must have been passed to `retain`).
   * The first request after it was named waits for its load; later ones are
   * served by what is held while re-checks run beside them, as for the active one.
   * @return the version, or null when it cannot serve (deleted, not ready, not named)
   */
  async getVersion(manager: EntityManager, versionId: string): Promise<ActiveModel | null> {
    if (!this.wanted.includes(versionId)) return null
    await this.getActive(manager)
    if (!this.covered.has(versionId)) {
      await this.loading?.catch(() => undefined)
      if (!this.covered.has(versionId)) {
        this.checkedAt = 0
        await this.look(manager)
      }
    }
    return this.named.get(versionId) ?? null
  }

  /**
   * The versions that serving experiments name (their arms' `model_version_id`):
   * each is loaded on its first request, and a version no longer named is
   * released at once.
   */
  retain(versionIds: string[]): void {
    const next = [...new Set(versionIds)].sort()
    if (next.join("\u0000") === this.wanted.join("\u0000")) return
    this.wanted = next
    for (const id of [...this.named.keys()]) if (!next.includes(id)) this.named.delete(id)
  }

  /** The next request waits for a fresh look at the active version (after an activation in this process). */
  invalidate(): void {
    this.checkedAt = 0
  }

  /**
   * Loads the serving versions again now (after an erasure in this process), so
   * the next request is served by what is stored from here on; a check already
   * under way may have read the rows before the change, so it is not reused.
   */
  async reload(manager: EntityManager): Promise<ActiveModel | null> {
    await this.loading?.catch(() => undefined)
    this.invalidate()
    return await this.getActive(manager)
  }

  private look(manager: EntityManager): Promise<void> {
    this.loading ??= this.refresh(manager).finally(() => (this.loading = null))
    return this.loading
  }

  private async refresh(manager: EntityManager): Promise<void> {
    const versions = manager.withRepository(InterestModelVersionRepository)
    const wanted = this.wanted
    const rows = await versions.servingRevisions(wanted)
    let current: ActiveModel | null = null
    const named = new Map<string, ActiveModel>()
    for (const row of rows) {
      const held = this.current?.versionId === row.id ? this.current : this.named.get(row.id)
      const model = held && held.revision === row.revision ? held : await this.load(versions, row)
      if (!model) continue
      if (row.is_active) current = model
      if (wanted.includes(row.id)) named.set(row.id, model)
    }
    this.current = current
    // retain() may have released some while this look ran.
    this.named = new Map([...named].filter(([id]) => this.wanted.includes(id)))
    this.covered = new Set(wanted)
    this.checkedAt = Date.now()
  }

  private async load(versions: Versions, row: { id: string; revision: string }): Promise<ActiveModel | null> {
    const full = await versions.artifactsOf(row.id)
    const artifacts = full?.artifacts
    return full && artifacts
      ? { versionId: row.id, revision: row.revision, trainedAt: new Date(artifacts.createdAt ?? full.created_at), model: loadArtifacts(artifacts) }
      : null
  }
}

export const modelRegistry = new ModelRegistry()
