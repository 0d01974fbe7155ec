import { dataSource } from "@medusajs/medusa/dist/loaders/database"
import { InterestTrainingRun } from "../models/interest-training-run"

/** pg advisory lock key: "interest" in ASCII, so two shops' instances never train at once. */
const TRAINING_LOCK_KEY = 0x696e7465

/**
 * Training runs (`interest_training_run`) and the lock that keeps them to one at
 * a time across instances. The lock is a session lock: take and release it
 * through the manager of the connection that runs the training.
 */
export const InterestTrainingRunRepository = dataSource.getRepository(InterestTrainingRun).extend({
  /** @return whether this connection now holds the training lock (never waits) */
  async tryLock(): Promise<boolean> {
    const [{ ok }] = await this.query(`SELECT pg_try_advisory_lock($1) AS ok`, [TRAINING_LOCK_KEY])
    return ok === true
  },

  async unlock(): Promise<void> {
    await this.query(`SELECT pg_advisory_unlock($1)`, [TRAINING_LOCK_KEY])
  },

  /** @return the newest running run, if any */
  async latestRunning(): Promise<InterestTrainingRun | undefined> {
    const [run] = await this.query(`SELECT * FROM interest_training_run WHERE status = 'running' ORDER BY created_at DESC LIMIT 1`)
    return run
  },

  async anyRunning(): Promise<boolean> {
    const rows = await this.query(`SELECT 1 FROM interest_training_run WHERE status = 'running' LIMIT 1`)
    return rows.length > 0
  },

  /** @return the run as stored (every column), if it exists */
  async row(id: string): Promise<InterestTrainingRun | undefined> {
    const [run] = await this.query(`SELECT * FROM interest_training_run WHERE id = $1`, [id])
    return run
  },

  /** @return the new running run */
  async createRunning(id: string, trigger: string, progress: Record<string, unknown>): Promise<InterestTrainingRun> {
    const [run] = await this.query(
      `INSERT INTO interest_training_run (id, status, trigger, progress, heartbeat_at) VALUES ($1, 'running', $2, $3, now()) RETURNING *`,
      [id, trigger, JSON.stringify(progress)]
    )
    return run
  },

  async heartbeat(id: string): Promise<void> {
    await this.query(`UPDATE interest_training_run SET heartbeat_at = now() WHERE id = $1 AND status = 'running'`, [id])
  },

  /** Merges `patch` into the run's progress. */
  async addProgress(id: string, patch: Record<string, unknown>): Promise<void> {
    await this.query(`UPDATE interest_training_run SET progress = progress || $2::jsonb, updated_at = now() WHERE id = $1`, [
      id,
      JSON.stringify(patch),
    ])
  },

  async setModelVersion(id: string, versionId: string): Promise<void> {
    await this.query(`UPDATE interest_training_run SET model_version_id = $2 WHERE id = $1`, [id, versionId])
  },

  async succeed(id: string, progress: Record<string, unknown>): Promise<void> {
    await this.query(
      `UPDATE interest_training_run SET status = 'succeeded', finished_at = now(), updated_at = now(),
         progress = progress || $2::jsonb WHERE id = $1`,
      [id, JSON.stringify(progress)]
    )
  },

  async fail(id: string, error: string): Promise<void> {
    await this.query(
      `UPDATE interest_training_run SET status = 'failed', error = $2, finished_at = now(), updated_at = now() WHERE id = $1`,
      [id, error]
    )
  },

  /**
   * Marks every running run failed with `error` and the time of its last heartbeat.
   * @return how many runs were marked
   */
  async failRunning(error: string): Promise<number> {
    // TypeORM answers an UPDATE with [rows, affected count].
    const [rows]: [{ id: string }[], number] = await this.query(
      `UPDATE interest_training_run SET status = 'failed', finished_at = now(), updated_at = now(),
         error = $1 || COALESCE(' (last heartbeat ' || to_char(heartbeat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ')', '') || '.'
       WHERE status = 'running' RETURNING id`,
      [error]
    )
    return rows.length
  },
})

export default InterestTrainingRunRepository
