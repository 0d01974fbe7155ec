/**
 * Group commit for captured events: the rows of concurrent requests are
 * written together, one transaction (one multi-row INSERT) per flush, and each
 * request learns when the flush that held its rows has committed or failed.
 */

/** A flush starts this long after the first row waiting for it arrived. */
export const FLUSH_WINDOW_MS = 5
/** ...or at once when this many rows wait (one INSERT of 14 columns: well below Postgres' 65,535 parameters). */
export const FLUSH_MAX_ROWS = 1000
/** A flush that has not committed after this long is given up: its requests are answered as failed. */
export const FLUSH_DEADLINE_MS = 5000
/** Rows waiting at most while flushes are slow or failing; a request that would exceed it fails at once. */
export const MAX_WAITING_ROWS = 20_000

export type GroupCommitOptions = {
  windowMs: number
  maxRows: number
  deadlineMs: number
  maxWaitingRows: number
}

export const GROUP_COMMIT_DEFAULTS: GroupCommitOptions = {
  windowMs: FLUSH_WINDOW_MS,
  maxRows: FLUSH_MAX_ROWS,
  deadlineMs: FLUSH_DEADLINE_MS,
  maxWaitingRows: MAX_WAITING_ROWS,
}

/** Why a request's rows were not stored: the flush holding them failed, ran out of time, or there was no room to queue them. */
export class GroupCommitError extends Error {
  constructor(
    message: string,
    readonly reason: "failed" | "deadline" | "full",
    readonly cause?: unknown
  ) {
    super(message)
    this.name = "GroupCommitError"
  }
}

type Entry<T> = { rows: T[]; resolve: () => void; reject: (e: GroupCommitError) => void }

/**
 * Queues the rows of each request (an entry, never split across flushes, so a
 * request is stored whole or not at all) and writes what waits in one call of
 * `write`, at most one flush at a time: while a flush is under way new rows
 * gather, and go in the next flush as soon as it ends. A flush starts
 * `windowMs` after its first row arrived, or at once at `maxRows`.
 * `add` resolves only after `write` resolved for the flush that held its rows
 * (committed), and rejects when that write threw or did not finish within
 * `deadlineMs`; entries of other flushes are not affected. A flush given up at
 * its deadline may still commit later: its requests were told it failed, so
 * they retry (client event ids make the retry a duplicate, not a second row).
 */
export class GroupCommit<T> {
  private waiting: Entry<T>[] = []
  private waitingRows = 0
  private timer: NodeJS.Timeout | null = null
  private flushing = false
  private readonly options: GroupCommitOptions

  /** Flushes written so far, committed or not (for tests and diagnostics). */
  flushes = 0

  constructor(
    private readonly write: (rows: T[]) => Promise<unknown>,
    options: Partial<GroupCommitOptions> = {}
  ) {
    this.options = { ...GROUP_COMMIT_DEFAULTS, ...options }
  }

  /**
   * Queues one request's rows.
   * @return resolves once they are committed; rejects with a GroupCommitError otherwise
   */
  add(rows: T[]): Promise<void> {
    if (!rows.length) return Promise.resolve()
    if (this.waitingRows + rows.length > this.options.maxWaitingRows) {
      return Promise.reject(new GroupCommitError("Too many events are waiting to be stored.", "full"))
    }
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ rows, resolve, reject })
      this.waitingRows += rows.length
      this.schedule()
    })
  }

  /** Rows queued and not yet handed to a flush. */
  get size(): number {
    return this.waitingRows
  }

  private schedule(): void {
    if (this.flushing || !this.waiting.length) return
    if (this.waitingRows >= this.options.maxRows) {
      this.flushNow()
      return
    }
    this.timer ??= setTimeout(() => this.flushNow(), this.options.windowMs)
  }

  private flushNow(): void {
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = null
    }
    if (this.flushing || !this.waiting.length) return
    const batch = this.take()
    this.flushing = true
    this.flushes++
    void this.run(batch).finally(() => {
      this.flushing = false
      this.schedule()
    })
  }

  /** Whole entries from the front, up to maxRows (a larger entry goes alone). */
  private take(): Entry<T>[] {
    let rows = 0
    let n = 0
    while (n < this.waiting.length && (n === 0 || rows + this.waiting[n].rows.length <= this.options.maxRows)) {
      rows += this.waiting[n].rows.length
      n++
    }
    this.waitingRows -= rows
    return this.waiting.splice(0, n)
  }

  private async run(batch: Entry<T>[]): Promise<void> {
    let deadline: NodeJS.Timeout | undefined
    const timedOut = new Promise<"deadline">((resolve) => {
      deadline = setTimeout(() => resolve("deadline"), this.options.deadlineMs)
    })
    try {
      const outcome = await Promise.race([this.write(batch.flatMap((e) => e.rows)).then(() => "committed" as const), timedOut])
      if (outcome === "committed") {
        for (const e of batch) e.resolve()
      } else {
        const error = new GroupCommitError(`The events were not stored within ${this.options.deadlineMs} ms.`, "deadline")
        for (const e of batch) e.reject(error)
      }
    } catch (cause) {
      const error = new GroupCommitError("The events could not be stored.", "failed", cause)
      for (const e of batch) e.reject(error)
    } finally {
      clearTimeout(deadline)
    }
  }
}

let instance: GroupCommit<unknown> | null = null

/**
 * The process-wide queue of captured events. The first caller's `write`
 * serves every flush: it is the same singleton service's method for all.
 */
export function eventGroupCommit<T>(write: (rows: T[]) => Promise<unknown>): GroupCommit<T> {
  instance ??= new GroupCommit<unknown>(write as (rows: unknown[]) => Promise<unknown>)
  return instance as GroupCommit<T>
}
