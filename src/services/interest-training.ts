import { EventBusService, generateEntityId, TransactionBaseService } from "@medusajs/medusa"
import { MedusaError } from "medusa-core-utils"
import { EntityManager, QueryRunner } from "typeorm"
import { previousSegmentsOf, TrainedArtifacts } from "../engine/pipeline"
import type { EngineOptions } from "../engine/core/options"
import type { PreviousSegment } from "../engine/segments/match"
import { InterestTrainingRun } from "../models/interest-training-run"
import InterestEventService from "./interest-event"
import InterestModelVersionService from "./interest-model-version"
import { InterestPluginOptions } from "../options/plugin-options"
import { modelRegistry } from "../runtime/model-registry"
import { PipelineResult, runPipelineInWorker } from "../runtime/run-pipeline-in-worker"
import { InterestNameRepository } from "../repositories/interest-name"
import { InterestModelVersionRepository } from "../repositories/interest-model-version"
import { InterestTrainingRunRepository } from "../repositories/interest-training-run"
import { InterestTrainingInputRepository } from "../repositories/interest-training-input"

type InjectedDependencies = {
  manager: EntityManager
  interestModelVersionService: InterestModelVersionService
  interestEventService: InterestEventService
  interestNameRepository: typeof InterestNameRepository
  interestModelVersionRepository: typeof InterestModelVersionRepository
  interestTrainingRunRepository: typeof InterestTrainingRunRepository
  interestTrainingInputRepository: typeof InterestTrainingInputRepository
  eventBusService: EventBusService
  interestOptions: InterestPluginOptions
  logger: { info(m: string): void; warn(m: string): void; error(m: string | Error): void }
}

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
  protected readonly interestTrainingRunRepository_: typeof InterestTrainingRunRepository
  protected readonly interestTrainingInputRepository_: typeof InterestTrainingInputRepository

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
    this.interestTrainingRunRepository_ = container.interestTrainingRunRepository
    this.interestTrainingInputRepository_ = container.interestTrainingInputRepository
  }

  /**
   * Starts a training run in the background, unless one is already going.
   * @param trigger - who asked
   * @return the new run, or the one already running
   */
  async start(trigger: TrainingTrigger = "admin"): Promise<StartResult> {
    const runner = this.manager_.connection.createQueryRunner()
    await runner.connect()
    const runs = runner.manager.withRepository(this.interestTrainingRunRepository_)
    let locked = false
    try {
      locked = await runs.tryLock()
      if (!locked) {
        // The holder writes its run row right after taking the lock: give it a moment.
        let running: InterestTrainingRun | undefined
        for (let attempt = 0; attempt < 50 && !running; attempt++) {
          running = await runs.latestRunning()
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
      await this.failInterruptedRunsHoldingLock(runner)
      const run = await runs.createRunning(generateEntityId(undefined, "irun"), trigger, { stage: "queued", percent: 0 })
      void this.execute(run.id, runner).finally(async () => {
        await runs.unlock().catch(() => undefined)
        await runner.release().catch(() => undefined)
      })
      return { run, alreadyRunning: false }
    } catch (e) {
      if (locked) {
        await runs.unlock().catch(() => undefined)
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
    const run = await this.manager_.withRepository(this.interestTrainingRunRepository_).row(id)
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
    const running = await this.manager_.withRepository(this.interestTrainingRunRepository_).anyRunning()
    const training = !running && (await this.manager_.withRepository(this.interestModelVersionRepository_).anyTraining())
    if (!running && !training) return 0
    const runner = this.manager_.connection.createQueryRunner()
    await runner.connect()
    const runs = runner.manager.withRepository(this.interestTrainingRunRepository_)
    try {
      if (!(await runs.tryLock())) return 0
      try {
        return await this.failInterruptedRunsHoldingLock(runner)
      } finally {
        await runs.unlock()
      }
    } finally {
      await runner.release()
    }
  }

  /** The run itself; never throws (a failure is recorded on the run). */
  protected async execute(runId: string, runner: QueryRunner): Promise<void> {
    const started = Date.now()
    let versionId: string | null = null
    const runs = runner.manager.withRepository(this.interestTrainingRunRepository_)
    const versions = runner.manager.withRepository(this.interestModelVersionRepository_)
    // Through the pool, not this run's connection: saving holds that one for seconds.
    const heartbeat = setInterval(() => {
      void this.manager_
        .withRepository(this.interestTrainingRunRepository_)
        .heartbeat(runId)
        .catch(() => undefined)
    }, TRAINING_HEARTBEAT_MS)
    heartbeat.unref()
    const progress = async (patch: Record<string, unknown>): Promise<void> => {
      await runs.addProgress(runId, { ...patch, elapsed_ms: Date.now() - started }).catch(() => undefined)
    }
    try {
      await progress({ stage: "loading", percent: 5 })
      // Purchases whose order.placed the event bus dropped are caught up first, so no order is missed by the model.
      await this.events_.reconcileOrders()
      const input = runner.manager.withRepository(this.interestTrainingInputRepository_)
      const [events, catalog, names, previous] = await Promise.all([
        input.events(),
        input.catalog(),
        runner.manager.withRepository(this.interestNameRepository_).interestNames(),
        this.previousSegments(runner),
      ])
      if (!events.length) {
        throw new Error("There are no captured events to learn from yet.")
      }
      versionId = generateEntityId(undefined, "imv")
      await versions.createTraining(versionId, runId, this.engineOptions(), {
        events: events.length,
        customers: new Set(events.map((e) => e.customerId)).size,
      })
      await runs.setModelVersion(runId, versionId)
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
      await runs.succeed(runId, { stage: "done", percent: 100, elapsed_ms: Date.now() - started })
      await this.eventBus_.emit(InterestTrainingService.Events.RUN_SUCCEEDED, { id: runId, model_version_id: versionId })
      this.logger_.info(`medusa-plugin-interest: training run ${runId} activated model ${versionId} in ${Date.now() - started} ms`)
    } catch (e) {
      const message = (e as Error)?.message ?? String(e)
      this.logger_.warn(`medusa-plugin-interest: training run ${runId} failed: ${message}`)
      if (versionId) {
        await versions.failTraining(versionId, message).catch(() => undefined)
      }
      await runs.fail(runId, message).catch(() => undefined)
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

  /** The active version's segments, to keep segment ids across retrains. */
  protected async previousSegments(runner: QueryRunner): Promise<PreviousSegment[]> {
    const list = await runner.manager.withRepository(this.interestModelVersionRepository_).activeSegmentList()
    return previousSegmentsOf({ segments: { list } } as TrainedArtifacts)
  }

  /**
   * Saves what the worker built for the version and activates it, in one
   * transaction (InterestModelVersionRepository.saveTrained writes it all).
   */
  protected async persist(manager: EntityManager, versionId: string, result: PipelineResult, durationMs: number): Promise<void> {
    await manager.transaction(async (m) => {
      await m.withRepository(this.interestModelVersionRepository_).saveTrained(versionId, result.payload, result.chunks, durationMs)
      await this.modelVersions_.withTransaction(m).activate(versionId)
    })
    modelRegistry.invalidate()
  }

  /**
   * Marks every "running" run failed, with the time of its last heartbeat, and
   * every version still "training" failed with its run's error. Only call while
   * holding the training lock (on `runner`): then none of them is really
   * running (a version can be left "training" without its run knowing it, when
   * the process died between writing the one and the other).
   * @return how many runs were marked
   */
  protected async failInterruptedRunsHoldingLock(runner: QueryRunner): Promise<number> {
    const failed = await runner.manager.withRepository(this.interestTrainingRunRepository_).failRunning(INTERRUPTED_RUN_ERROR)
    await runner.manager.withRepository(this.interestModelVersionRepository_).failAllTraining(INTERRUPTED_RUN_ERROR)
    return failed
  }
}

export default InterestTrainingService
