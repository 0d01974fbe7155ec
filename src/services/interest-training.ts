import { EventBusService, generateEntityId, TransactionBaseService } from "@medusajs/medusa"
import { MedusaError } from "medusa-core-utils"
import { EntityManager, QueryRunner } from "typeorm"
import { previousSegmentsOf, TrainedArtifacts } from "../engine/pipeline"
import type { EngineOptions } from "../engine/pipeline/options"
import type { PreviousSegment } from "../engine/segments/match"
import type { CatalogProduct, EventType, InterestEvent } from "../engine/types"
import { InterestTrainingRun } from "../models/interest-training-run"
import InterestEventService from "./interest-event"
import InterestModelVersionService from "./interest-model-version"
import { VISITOR_PREFIX } from "../types/events"
import { InterestPluginOptions } from "../options/plugin-options"
import { modelRegistry } from "../runtime/model-registry"
import { PipelineResult, runPipelineInWorker } from "../runtime/run-pipeline-in-worker"
import { yieldToEventLoop } from "../engine/util/yield"
import { InterestNameRepository } from "../repositories/interest-name"
import { InterestModelVersionRepository } from "../repositories/interest-model-version"

type InjectedDependencies = {
  manager: EntityManager
  interestModelVersionService: InterestModelVersionService
  interestEventService: InterestEventService
  interestNameRepository: typeof InterestNameRepository
  interestModelVersionRepository: typeof InterestModelVersionRepository
  eventBusService: EventBusService
  interestOptions: InterestPluginOptions
  logger: { info(m: string): void; warn(m: string): void; error(m: string | Error): void }
}

/** pg advisory lock key: "interest" in ASCII, so two shops' instances never train at once. */
const TRAINING_LOCK_KEY = 0x696e7465

/**
 * How often the process training a run writes its heartbeat (the run's
 * `heartbeat_at`). It is what an admin sees of a run that stopped; whether a
 * run is alive is decided by the training lock, which Postgres releases the
 * moment the session of a dead process ends.
 */
export const TRAINING_HEARTBEAT_MS = 5000

/** The error of a run whose process died, and of the version it was training. */
export const INTERRUPTED_RUN_ERROR = "Interrupted: the process running it stopped"

/** Progress when each training step ends (engine/pipeline/train-model.ts laps); saving is 85. */
const TRAINING_STEP_PERCENT: Record<string, number> = {
  validationStage: 20,
  sequenceTraining: 30,
  trainingQueries: 55,
  rankerFitting: 75,
  fullStage: 80,
}

export type TrainingTrigger = "admin" | "schedule" | "cli"

export interface StartResult {
  run: InterestTrainingRun
  /** True when another run (here or on another instance) was already going. */
  alreadyRunning: boolean
}

/**
 * Runs training: loads the captured events and the catalogue, trains the engine
 * in a worker thread, stores a new model version with its segments, profiles and
 * precomputed lists, and switches serving to it in one transaction (through
 * InterestModelVersionService.activate, the one place that activates). A Postgres
 * advisory lock keeps it to one run at a time across all instances; a failed
 * run leaves the active version serving and records its error.
 */
class InterestTrainingService extends TransactionBaseService {
  static readonly Events = {
    RUN_SUCCEEDED: "interest.training_succeeded",
    RUN_FAILED: "interest.training_failed",
  }

  protected readonly eventBus_: EventBusService
  protected readonly options_: InterestPluginOptions
  protected readonly logger_: InjectedDependencies["logger"]
  protected readonly modelVersions_: InterestModelVersionService
  protected readonly events_: InterestEventService

  protected readonly interestNameRepository_: typeof InterestNameRepository
  protected readonly interestModelVersionRepository_: typeof InterestModelVersionRepository

  constructor(container: InjectedDependencies) {
    // eslint-disable-next-line prefer-rest-params
    super(arguments[0])
    this.eventBus_ = container.eventBusService
    this.options_ = container.interestOptions
    this.logger_ = container.logger
    this.modelVersions_ = container.interestModelVersionService
    this.events_ = container.interestEventService
    this.interestNameRepository_ = container.interestNameRepository
    this.interestModelVersionRepository_ = container.interestModelVersionRepository
  }

  /**
   * Starts a training run in the background, unless one is already going.
   * @param trigger - who asked
   * @return the new run, or the one already running
   */
  async start(trigger: TrainingTrigger = "admin"): Promise<StartResult> {
    const runner = this.manager_.connection.createQueryRunner()
    await runner.connect()
    let locked = false
    try {
      const [{ ok }] = await runner.query(`SELECT pg_try_advisory_lock($1) AS ok`, [TRAINING_LOCK_KEY])
      locked = ok === true
      if (!locked) {
        // The holder writes its run row right after taking the lock: give it a moment.
        let running: InterestTrainingRun | undefined
        for (let attempt = 0; attempt < 50 && !running; attempt++) {
          ;[running] = await runner.query(
            `SELECT * FROM interest_training_run WHERE status = 'running' ORDER BY created_at DESC LIMIT 1`
          )
          if (!running) await new Promise((r) => setTimeout(r, 100))
        }
        await runner.release()
        if (!running) {
          throw new MedusaError(MedusaError.Types.CONFLICT, "A training run is starting on another instance.")
        }
        return { run: running, alreadyRunning: true }
      }
      // Holding the lock means no run is alive anywhere: a "running" row is a
      // leftover of a process that died mid-run.
      await failInterruptedRuns(runner)
      const id = generateEntityId(undefined, "irun")
      const [run] = await runner.query(
        `INSERT INTO interest_training_run (id, status, trigger, progress, heartbeat_at) VALUES ($1, 'running', $2, $3, now()) RETURNING *`,
        [id, trigger, JSON.stringify({ stage: "queued", percent: 0 })]
      )
      void this.execute(id, runner).finally(async () => {
        await runner.query(`SELECT pg_advisory_unlock($1)`, [TRAINING_LOCK_KEY]).catch(() => undefined)
        await runner.release().catch(() => undefined)
      })
      return { run: run as InterestTrainingRun, alreadyRunning: false }
    } catch (e) {
      if (locked) {
        await runner.query(`SELECT pg_advisory_unlock($1)`, [TRAINING_LOCK_KEY]).catch(() => undefined)
      }
      if (!runner.isReleased) await runner.release().catch(() => undefined)
      throw e
    }
  }

  /**
   * Runs training and waits for it (CLI, scheduled job).
   * @return the finished run
   */
  async runNow(trigger: TrainingTrigger): Promise<StartResult> {
    const started = await this.start(trigger)
    for (;;) {
      const run = await this.retrieveRun(started.run.id)
      if (run.status !== "running") return { run, alreadyRunning: started.alreadyRunning }
      await new Promise((r) => setTimeout(r, 500))
    }
  }

  /**
   * @param id - a training run id
   * @return the run with its progress
   */
  async retrieveRun(id: string): Promise<InterestTrainingRun> {
    const [run] = await this.manager_.query(`SELECT * FROM interest_training_run WHERE id = $1`, [id])
    if (!run) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Training run with id: ${id} was not found.`)
    }
    if (run.status === "running" && (await this.failInterruptedRuns()) > 0) {
      return await this.retrieveRun(id)
    }
    return run
  }

  /**
   * A run whose process was killed stays "running" in the table, though nobody
   * holds the training lock any more (Postgres released it with the dead
   * session). Marks such runs failed, and the versions they were training,
   * so neither shows as running. Called at boot (src/loaders) and when a
   * running run is read; does nothing while a live process holds the lock.
   * @return how many runs were marked failed
   */
  async failInterruptedRuns(): Promise<number> {
    // Two cheap reads first, so a boot or a poll takes the lock only when there is something to fail.
    const [running] = await this.manager_.query(`SELECT 1 FROM interest_training_run WHERE status = 'running' LIMIT 1`)
    const [training] = running ? [] : await this.manager_.query(`SELECT 1 FROM interest_model_version WHERE status = 'training' LIMIT 1`)
    if (!running && !training) return 0
    const runner = this.manager_.connection.createQueryRunner()
    await runner.connect()
    try {
      const [{ ok }] = await runner.query(`SELECT pg_try_advisory_lock($1) AS ok`, [TRAINING_LOCK_KEY])
      if (ok !== true) return 0
      try {
        return await failInterruptedRuns(runner)
      } finally {
        await runner.query(`SELECT pg_advisory_unlock($1)`, [TRAINING_LOCK_KEY])
      }
    } finally {
      await runner.release()
    }
  }

  /** The run itself; never throws (a failure is recorded on the run). */
  protected async execute(runId: string, runner: QueryRunner): Promise<void> {
    const started = Date.now()
    let versionId: string | null = null
    // Through the pool, not this run's connection: saving holds that one for seconds.
    const heartbeat = setInterval(() => {
      void this.manager_
        .query(`UPDATE interest_training_run SET heartbeat_at = now() WHERE id = $1 AND status = 'running'`, [runId])
        .catch(() => undefined)
    }, TRAINING_HEARTBEAT_MS)
    heartbeat.unref()
    const progress = async (patch: Record<string, unknown>): Promise<void> => {
      await runner
        .query(`UPDATE interest_training_run SET progress = progress || $2::jsonb, updated_at = now() WHERE id = $1`, [
          runId,
          JSON.stringify({ ...patch, elapsed_ms: Date.now() - started }),
        ])
        .catch(() => undefined)
    }
    try {
      await progress({ stage: "loading", percent: 5 })
      // Purchases whose order.placed the event bus dropped are caught up first, so no order is missed by the model.
      await this.events_.reconcileOrders()
      const [events, catalog, names, previous] = await Promise.all([
        this.loadEvents(runner),
        this.loadCatalog(runner),
        runner.manager.withRepository(this.interestNameRepository_).interestNames(),
        this.previousSegments(runner),
      ])
      if (!events.length) {
        throw new Error("There are no captured events to learn from yet.")
      }
      versionId = generateEntityId(undefined, "imv")
      await runner.query(
        `INSERT INTO interest_model_version (id, status, training_run_id, options, event_count, customer_count)
         VALUES ($1, 'training', $2, $3, $4, $5)`,
        [versionId, runId, JSON.stringify(this.engineOptions()), events.length, new Set(events.map((e) => e.customerId)).size]
      )
      await runner.query(`UPDATE interest_training_run SET model_version_id = $2 WHERE id = $1`, [runId, versionId])
      await progress({ stage: "training", percent: 15, events: events.length, products: catalog.length })

      let lastWrite = 0
      const job = runPipelineInWorker(
        {
          events,
          catalog,
          options: { ...this.engineOptions(), previousSegments: previous },
          backend: this.options_.backend,
          persist: { versionId, names: [...names], placementLimit: this.options_.placementLimits.max },
        },
        (message) => {
          const step = /^(\w+): [\d.]+ s$/.exec(message)?.[1]
          const stepPercent = step ? TRAINING_STEP_PERCENT[step] : undefined
          const now = Date.now()
          // Step ends are few and move the bar: never throttled.
          if (stepPercent === undefined && now - lastWrite < 500) return
          lastWrite = now
          const epoch = /lstm epoch (\d+)\/(\d+)/.exec(message)
          const percent = stepPercent ?? (epoch ? 20 + Math.round((10 * Number(epoch[1])) / Number(epoch[2])) : undefined)
          void progress({ stage: "training", message, ...(percent ? { percent } : {}) })
        },
        this.options_.trainingMaxHeapMb
      )
      const result = await job.promise
      await progress({ stage: "saving", percent: 85 })
      await this.persist(runner.manager, versionId, result, Date.now() - started)
      await runner.query(
        `UPDATE interest_training_run SET status = 'succeeded', finished_at = now(), updated_at = now(),
           progress = progress || $2::jsonb WHERE id = $1`,
        [runId, JSON.stringify({ stage: "done", percent: 100, elapsed_ms: Date.now() - started })]
      )
      await this.eventBus_.emit(InterestTrainingService.Events.RUN_SUCCEEDED, { id: runId, model_version_id: versionId })
      this.logger_.info(`medusa-plugin-interest: training run ${runId} activated model ${versionId} in ${Date.now() - started} ms`)
    } catch (e) {
      const message = (e as Error)?.message ?? String(e)
      this.logger_.warn(`medusa-plugin-interest: training run ${runId} failed: ${message}`)
      if (versionId) {
        await runner
          .query(`UPDATE interest_model_version SET status = 'failed', error = $2, updated_at = now() WHERE id = $1 AND status = 'training'`, [
            versionId,
            message,
          ])
          .catch(() => undefined)
      }
      await runner
        .query(
          `UPDATE interest_training_run SET status = 'failed', error = $2, finished_at = now(), updated_at = now() WHERE id = $1`,
          [runId, message]
        )
        .catch(() => undefined)
      await this.eventBus_.emit(InterestTrainingService.Events.RUN_FAILED, { id: runId, error: message }).catch(() => undefined)
    } finally {
      clearInterval(heartbeat)
    }
  }

  protected engineOptions(): Partial<EngineOptions> {
    const o = this.options_
    return {
      period: o.period,
      eventWeights: o.eventWeights,
      influence: o.influence,
      segments: { minK: o.kRange.min, maxK: o.kRange.max },
    }
  }

  protected async loadEvents(runner: QueryRunner): Promise<InterestEvent[]> {
    const rows: {
      subject: string
      product_id: string
      type: EventType
      at: string
      quantity: number
      channel: string | null
      source: string | null
      anonymous: boolean
    }[] = await runner.query(
      `SELECT COALESCE(customer_id, '${VISITOR_PREFIX}' || visitor_id) AS subject, product_id, type,
              (extract(epoch FROM occurred_at) * 1000)::bigint AS at, quantity, sales_channel_id AS channel, client_source AS source,
              customer_id IS NULL AS anonymous
       FROM interest_event ORDER BY subject, occurred_at, id`
    )
    return rows.map((r) => ({
      customerId: r.subject,
      productId: r.product_id,
      type: r.type,
      timestamp: Number(r.at),
      quantity: r.quantity,
      ...(r.channel ? { channelId: r.channel } : {}),
      ...(r.source ? { sourceId: r.source } : {}),
      ...(r.anonymous ? { anonymous: true } : {}),
    }))
  }

  protected async loadCatalog(runner: QueryRunner): Promise<CatalogProduct[]> {
    const rows: { id: string; title: string; collection_id: string | null; type_id: string | null; categories: string[]; tags: string[] }[] =
      await runner.query(
        `SELECT p.id, p.title, p.collection_id, p.type_id,
           COALESCE((SELECT array_agg(c.product_category_id ORDER BY c.product_category_id) FROM product_category_product c WHERE c.product_id = p.id), '{}') AS categories,
           COALESCE((SELECT array_agg(t.product_tag_id ORDER BY t.product_tag_id) FROM product_tags t WHERE t.product_id = p.id), '{}') AS tags
         FROM product p WHERE p.deleted_at IS NULL ORDER BY p.id`
      )
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      categoryIds: r.categories,
      collectionId: r.collection_id,
      tagIds: r.tags,
      typeId: r.type_id,
    }))
  }

  /**
   * The active version's segments, to keep segment ids across retrains. Only
   * that part of the artifacts is read: parsing the whole column (model weights,
   * every customer's state) blocked the event loop for tens of milliseconds.
   */
  protected async previousSegments(runner: QueryRunner): Promise<PreviousSegment[]> {
    const [row] = await runner.query(
      `SELECT artifacts->'segments'->'list' AS list FROM interest_model_version WHERE is_active AND deleted_at IS NULL LIMIT 1`
    )
    const list = (row?.list ?? []) as TrainedArtifacts["segments"]["list"]
    return previousSegmentsOf({ segments: { list } } as TrainedArtifacts)
  }

  /**
   * Stores the version, segments, profiles and precomputed lists, then
   * activates it: one transaction. The worker built every row and the SQL of
   * every bulk insert (src/workers/train-pipeline.ts): here they are only sent
   * to Postgres, one chunk at a time, yielding to the event loop in between.
   */
  protected async persist(manager: EntityManager, versionId: string, result: PipelineResult, durationMs: number): Promise<void> {
    const { payload, chunks } = result
    await manager.transaction(async (m) => {
      await m.query(
        `UPDATE interest_model_version SET status = 'ready', artifacts = $2, metrics = $3, backend = $4, duration_ms = $5, updated_at = now()
         WHERE id = $1`,
        [versionId, payload.artifactsJson, payload.metricsJson, payload.backend, durationMs]
      )
      for (const [id, autoName, size, topInterests, centroid, cohesion, drift] of payload.segments) {
        // A segment keeps its id across retrains; a merchant's name and pin stay.
        await m.query(
          `INSERT INTO interest_segment (id, name, auto_name, size, top_interests, centroid, cohesion, drift, status, model_version_id)
           VALUES ($1, $2, $2, $3, $4, $5, $6, $7, 'active', $8)
           ON CONFLICT (id) DO UPDATE SET
             auto_name = EXCLUDED.auto_name,
             name = CASE WHEN interest_segment.name = interest_segment.auto_name AND NOT interest_segment.pinned
                         THEN EXCLUDED.auto_name ELSE interest_segment.name END,
             size = EXCLUDED.size, top_interests = EXCLUDED.top_interests, centroid = EXCLUDED.centroid,
             cohesion = EXCLUDED.cohesion, drift = EXCLUDED.drift, status = 'active', deleted_at = NULL,
             model_version_id = EXCLUDED.model_version_id, updated_at = now()`,
          [id, autoName, size, topInterests, centroid, cohesion, drift, versionId]
        )
      }
      // Profiles, then precomputed lists, in the order the worker built them.
      for (const chunk of chunks) {
        await yieldToEventLoop()
        await m.query(chunk.sql, JSON.parse(chunk.paramsJson) as unknown[])
      }
      await yieldToEventLoop()
      // A shopper erased while this version trained (on events loaded before the
      // erasure) is forgotten before it serves: digests of its subjects against the opt-out list.
      const erased = await m.withRepository(this.interestModelVersionRepository_).optedOutSubjectsOf(versionId)
      if (erased.length) {
        await m.withRepository(this.interestModelVersionRepository_).forgetSubjects(erased, versionId)
        await m.query(`DELETE FROM interest_profile WHERE subject_id = ANY($1)`, [erased])
        await m.query(`DELETE FROM interest_recommendation WHERE model_version_id = $1 AND subject_id = ANY($2)`, [versionId, erased])
      }
      await this.modelVersions_.withTransaction(m).activate(versionId)
    })
    modelRegistry.invalidate()
  }
}

/**
 * Marks every "running" run failed, with the time of its last heartbeat, and
 * every version still "training" failed with its run's error. Only call while
 * holding the training lock: then none of them is really running (a version
 * can be left "training" without its run knowing it, when the process died
 * between writing the one and the other).
 * @return how many runs were marked
 */
async function failInterruptedRuns(runner: QueryRunner): Promise<number> {
  const [rows] = await runner.query(
    `UPDATE interest_training_run SET status = 'failed', finished_at = now(), updated_at = now(),
       error = $1 || COALESCE(' (last heartbeat ' || to_char(heartbeat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ')', '') || '.'
     WHERE status = 'running' RETURNING id`,
    [INTERRUPTED_RUN_ERROR]
  )
  await runner.query(
    `UPDATE interest_model_version v SET status = 'failed', updated_at = now(),
       error = COALESCE((SELECT r.error FROM interest_training_run r WHERE r.id = v.training_run_id AND r.status = 'failed'), $1 || '.')
     WHERE v.status = 'training'`,
    [INTERRUPTED_RUN_ERROR]
  )
  return rows.length
}

export default InterestTrainingService
