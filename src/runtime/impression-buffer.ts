import { EntityManager } from "typeorm"
import { Impression, InterestImpressionRepository } from "../repositories/interest-impression"

export type { Impression }

/**
 * At most one write per this window under load; an impression that finds the
 * last write older than the window is written right after its response.
 */
const WINDOW_MS = 200
/** Rows per INSERT. */
const BATCH = 200
/** Waiting rows kept at most while the database does not answer; newer ones are dropped and counted. */
const MAX_PENDING = 20_000

/**
 * Impressions are written in batches, off the request path under load: a
 * served list is queued here, and while lists are being served the queue is
 * written at most every 200 ms in multi-row INSERTs of up to 200 rows, so the
 * database sees a handful of statements a second however many lists are
 * served. A quiet shop (no write in the last 200 ms) writes an impression
 * at once and the request waits for that one INSERT, so a single list is in
 * the table when its answer arrives. The queue is flushed once more when the process is asked to stop
 * (SIGTERM/SIGINT, best effort against Medusa's own exit).
 * What a crash (kill -9, out of memory, power) can lose: the impressions of
 * the last ~200 ms, or, while the database is unreachable, up to 20,000 queued
 * ones; beyond that new impressions are dropped (counted in `dropped`). A lost
 * impression loses only its row: clicks carrying its recommendation_id are
 * still stored, without attribution (nothing shows the list was served).
 * `queued()` lets this process's events find their impression before it is
 * written; an impression still queued in another process is not found.
 */
export class ImpressionBuffer {
  private pending: Impression[] = []
  /** The batch being written: out of `pending`, not yet committed. */
  private writing: Impression[] = []
  private manager: EntityManager | null = null
  private timer: NodeJS.Timeout | null = null
  private flushing: Promise<void> | null = null
  private lastWriteAt = 0
  private hooked = false
  /** Impressions dropped because the queue was full (the database was not keeping up). */
  dropped = 0

  /**
   * Queues an impression. In a quiet shop (nothing written for 200 ms, nothing
   * queued) it is written at once and the returned promise resolves when it is
   * stored, so the caller may answer after it: a list that was just served is
   * then already in the table. Under load it resolves at once and the row
   * goes with the next batch.
   */
  add(manager: EntityManager, impression: Impression): Promise<void> {
    this.manager ??= manager
    this.hook()
    if (this.pending.length >= MAX_PENDING) {
      this.dropped++
      return Promise.resolve()
    }
    this.pending.push(impression)
    if (!this.timer && !this.flushing && Date.now() - this.lastWriteAt >= WINDOW_MS) return this.flush()
    this.schedule()
    return Promise.resolve()
  }

  /** Writes everything queued so far; resolves when it is stored (or the write failed). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = null
    }
    while (this.flushing) await this.flushing.catch(() => undefined)
    if (!this.pending.length || !this.manager) return
    const manager = this.manager
    this.lastWriteAt = Date.now()
    this.flushing = (async () => {
      // What is queued now; later arrivals wait for the next window.
      let due = this.pending.length
      while (due > 0) {
        const batch = this.pending.splice(0, Math.min(BATCH, due))
        this.writing = batch
        due -= batch.length
        try {
          await manager.withRepository(InterestImpressionRepository).insertBatch(batch)
        } catch (e) {
          // Keep them for the next write, as far as the queue has room.
          const room = Math.max(0, MAX_PENDING - this.pending.length)
          this.pending.unshift(...batch.slice(0, room))
          this.dropped += batch.length - Math.min(room, batch.length)
          throw e
        } finally {
          this.writing = []
        }
      }
    })().finally(() => {
      this.flushing = null
      if (this.pending.length) this.schedule()
    })
    await this.flushing.catch(() => undefined)
  }

  /** Drops the queued impressions of an erased customer and their visitor ids. */
  forget(customerId: string, visitorIds: string[]): void {
    const visitors = new Set(visitorIds)
    this.pending = this.pending.filter((i) => i.customerId !== customerId && !(i.visitorId && visitors.has(i.visitorId)))
  }

  /**
   * The impressions with these ids that are queued or being written, i.e. not
   * (or not surely) in the table yet. Synchronous: an impression is at every
   * moment queued, being written or committed, so looking here first and in
   * the table after misses none.
   */
  queued(ids: Iterable<string>): Impression[] {
    const wanted = new Set(ids)
    if (!wanted.size) return []
    return [...this.writing, ...this.pending].filter((i) => wanted.has(i.id))
  }

  get size(): number {
    return this.pending.length
  }

  private schedule(): void {
    if (this.timer || this.flushing) return
    const wait = Math.max(0, this.lastWriteAt + WINDOW_MS - Date.now())
    this.timer = setTimeout(() => {
      this.timer = null
      void this.flush()
    }, wait)
  }

  private hook(): void {
    if (this.hooked) return
    this.hooked = true
    const onStop = (): void => void this.flush()
    // Only beside a handler that exits (medusa start's graceful shutdown): a
    // lone listener would swallow the signal and keep the process running.
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      if (process.listenerCount(signal) > 0) process.once(signal, onStop)
    }
    process.once("beforeExit", onStop)
  }
}

export const impressionBuffer = new ImpressionBuffer()
