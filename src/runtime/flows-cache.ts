/**
 * The flow views' results for the active model version, by query. They are
 * computed from the model alone, so they stay right until another version (or
 * a rewritten one: an erasure moves the revision) is active; then everything
 * held is dropped at once. At most MAX_ENTRIES queries are kept: the admin asks
 * a handful (a period unit and a window each), a script walking dates must not
 * grow this without bound.
 */
const MAX_ENTRIES = 64

export class FlowsCache {
  private model = ""
  private readonly entries = new Map<string, unknown>()

  /**
   * @param model - identifies the model the result is computed from (version id and revision)
   * @param key - the query, normalised
   * @param compute - computes the result when it is not held
   */
  get<T>(model: string, key: string, compute: () => T): T {
    if (model !== this.model) {
      this.entries.clear()
      this.model = model
    }
    if (this.entries.has(key)) return this.entries.get(key) as T
    const value = compute()
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string)
    this.entries.set(key, value)
    return value
  }

  /**
   * `get` for a result that takes reads to compute: the promise is held, so
   * concurrent asks share one computation, and dropped if it fails.
   */
  getAsync<T>(model: string, key: string, compute: () => Promise<T>): Promise<T> {
    const held = this.get(model, key, compute)
    held.catch(() => {
      if (this.model === model && this.entries.get(key) === held) this.entries.delete(key)
    })
    return held
  }

  /** How many results are held (for tests). */
  get size(): number {
    return this.entries.size
  }
}

export const flowsCache = new FlowsCache()

/**
 * The segment flow between two versions and the drift of the runs before: keyed
 * by those versions' ids and revisions, so a new run or an erasure recomputes it.
 */
export const segmentFlowsCache = new FlowsCache()
