import { EventBusService, generateEntityId, TransactionBaseService } from "@medusajs/medusa"
import { MedusaError } from "medusa-core-utils"
import { EntityManager, QueryRunner } from "typeorm"
import { previousSegmentsOf, recommend, TrainedArtifacts } from "../engine/pipeline"
import type { PreviousSegment } from "../engine/segments/match"
import type { CatalogProduct, EventType, InterestEvent } from "../engine/types"
import { InterestTrainingRun } from "../models/interest-training-run"
import InterestModelVersionService from "./interest-model-version"
import { InterestPluginOptions } from "../types/options"
import { humanize, loadInterestNames } from "../utils/interest-names"
import { modelRegistry } from "../utils/model-registry"
import { runPipelineInWorker } from "../utils/run-pipeline-in-worker"

type InjectedDependencies = {
  manager: EntityManager
  interestModelVersionService: InterestModelVersionService
  eventBusService: EventBusService
  interestOptions: InterestPluginOptions
  logger: { info(m: string): void; warn(m: string): void; error(m: string | Error): void }
}

/** pg advisory lock key: "interest" in ASCII, so two shops' instances never train at once. */
const TRAINING_LOCK_KEY = 0x696e7465

/** Customers who only ever browsed anonymously are keyed by their visitor id. */
export const VISITOR_PREFIX = "v:"

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

  constructor(container: InjectedDependencies) {
    // eslint-disable-next-line prefer-rest-params
    super(arguments[0])
    this.eventBus_ = container.eventBusService
    this.options_ = container.interestOptions
    this.logger_ = container.logger
    this.modelVersions_ = container.interestModelVersionService
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
        `INSERT INTO interest_training_run (id, status, trigger, progress) VALUES ($1, 'running', $2, $3) RETURNING *`,
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
    if (run.status === "running" && (await this.failRunsOfDeadProcesses())) {
      return await this.retrieveRun(id)
    }
    return run
  }

  /**
   * A run whose process was killed stays "running" in the table, though nobody
   * holds the training lock any more (Postgres released it with the dead
   * session). Marks such runs failed, so whoever polls sees the truth without
   * waiting for the next run to start.
   * @return whether a run was marked failed
   */
  protected async failRunsOfDeadProcesses(): Promise<boolean> {
    const runner = this.manager_.connection.createQueryRunner()
    await runner.connect()
    try {
      const [{ ok }] = await runner.query(`SELECT pg_try_advisory_lock($1) AS ok`, [TRAINING_LOCK_KEY])
      if (ok !== true) return false
      try {
        return (await failInterruptedRuns(runner)) > 0
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
      const [events, catalog, names, previous] = await Promise.all([
        this.loadEvents(runner),
        this.loadCatalog(runner),
        loadInterestNames(runner.manager),
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
        },
        (message) => {
          const now = Date.now()
          if (now - lastWrite < 500) return
          lastWrite = now
          const epoch = /lstm epoch (\d+)\/(\d+)/.exec(message)
          const percent = epoch ? 30 + Math.round((50 * Number(epoch[1])) / Number(epoch[2])) : undefined
          void progress({ stage: "training", message, ...(percent ? { percent } : {}) })
        },
        this.options_.trainingMaxHeapMb
      )
      const artifacts = await job.promise
      await progress({ stage: "saving", percent: 85 })
      await this.persist(runner.manager, versionId, artifacts, names, Date.now() - started)
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
    }
  }

  protected engineOptions(): Record<string, unknown> {
    const o = this.options_
    return {
      period: o.period,
      eventWeights: o.eventWeights,
      segments: { minK: o.kRange.min, maxK: o.kRange.max },
    }
  }

  protected async loadEvents(runner: QueryRunner): Promise<InterestEvent[]> {
    const rows: { subject: string; product_id: string; type: EventType; at: string; quantity: number; channel: string | null }[] =
      await runner.query(
        `SELECT COALESCE(customer_id, '${VISITOR_PREFIX}' || visitor_id) AS subject, product_id, type,
                (extract(epoch FROM occurred_at) * 1000)::bigint AS at, quantity, sales_channel_id AS channel
         FROM interest_event ORDER BY subject, occurred_at, id`
      )
    return rows.map((r) => ({
      customerId: r.subject,
      productId: r.product_id,
      type: r.type,
      timestamp: Number(r.at),
      quantity: r.quantity,
      ...(r.channel ? { channelId: r.channel } : {}),
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

  /** Stores the version, segments, profiles and precomputed lists, then activates it: one transaction. */
  protected async persist(
    manager: EntityManager,
    versionId: string,
    artifacts: TrainedArtifacts,
    names: Map<string, string>,
    durationMs: number
  ): Promise<void> {
    const segmentIdOf = (index: number): string | null => artifacts.segments.list[index]?.id ?? null
    const assignment: { segment_id: string; customer_id: string; distance: number | null }[] = []
    artifacts.customers.ids.forEach((customerId, i) => {
      const segmentId = segmentIdOf(artifacts.customers.states[i].segment)
      if (segmentId && !customerId.startsWith(VISITOR_PREFIX)) {
        assignment.push({ segment_id: segmentId, customer_id: customerId, distance: null })
      }
    })
    const segments = artifacts.segments.list.map((s) => ({
      id: s.id,
      auto_name: humanize(s.name, names),
      size: s.size,
      top_interests: s.topInterests.map((t) => ({ id: t.id, name: names.get(t.id) ?? t.id, weight: t.weight })),
      centroid: s.centroid,
      cohesion: s.cohesion,
      drift: s.drift,
    }))
    const metrics = {
      report: artifacts.report,
      silhouette: artifacts.segments.silhouette,
      segments: segments.map((s) => ({ id: s.id })),
      assignment,
    }
    const backend = artifacts.report.lstm.used ? artifacts.report.lstm.backend : "none"
    // Megabytes for a shop of a few hundred customers: serialized in slices so
    // requests keep being served (one JSON.stringify blocked for ~100 ms).
    const artifactsJson = await stringifyInSlices(artifacts)

    await manager.transaction(async (m) => {
      await m.query(
        `UPDATE interest_model_version SET status = 'ready', artifacts = $2, metrics = $3, backend = $4, duration_ms = $5, updated_at = now()
         WHERE id = $1`,
        [versionId, artifactsJson, JSON.stringify(metrics), backend, durationMs]
      )
      for (const s of segments) {
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
          [s.id, s.auto_name, s.size, JSON.stringify(s.top_interests), JSON.stringify(s.centroid), s.cohesion, s.drift, versionId]
        )
      }
      await this.persistProfiles(m, versionId, artifacts)
      await this.persistRecommendations(m, versionId, artifacts, names)
      await this.modelVersions_.withTransaction(m).activate(versionId)
    })
    modelRegistry.invalidate()
  }

  protected async persistProfiles(m: EntityManager, versionId: string, a: TrainedArtifacts): Promise<void> {
    const period = a.options.period
    const rows: unknown[][] = []
    for (let i = 0; i < a.customers.ids.length; i++) {
      const subject = a.customers.ids[i]
      if (i > 0 && i % PROFILE_SLICE === 0) await yieldToEventLoop()
      for (const [p, count, vector] of a.customers.states[i].periods) {
        rows.push([
          generateEntityId(undefined, "iprof"),
          subject,
          subject.startsWith(VISITOR_PREFIX) ? "visitor" : "customer",
          period,
          new Date(periodStartMs(p, period)).toISOString(),
          JSON.stringify(Object.fromEntries(vector.map(([c, w]) => [a.categories[c], w]))),
          count,
          versionId,
        ])
      }
    }
    await insertMany(
      m,
      `INSERT INTO interest_profile (id, subject_id, subject_type, dimension, period, period_start, vector, event_count, model_version_id)`,
      `($1, $2, $3, 'category', $4, $5, $6, $7, $8)`,
      rows,
      `ON CONFLICT (subject_id, dimension, period, period_start) DO UPDATE SET
         vector = EXCLUDED.vector, event_count = EXCLUDED.event_count, model_version_id = EXCLUDED.model_version_id, updated_at = now()`
    )
  }

  protected async persistRecommendations(
    m: EntityManager,
    versionId: string,
    a: TrainedArtifacts,
    names: Map<string, string>
  ): Promise<void> {
    const limit = this.options_.placementLimits.max
    const rows: unknown[][] = []
    const add = (subject: string, placement: string, context: string, items: ReturnType<typeof recommend>["items"]): void => {
      rows.push([
        generateEntityId(undefined, "irec"),
        versionId,
        subject,
        placement,
        context,
        JSON.stringify(items.map((it) => ({ product_id: it.productId, score: it.score, reason: humanize(it.reason, names) }))),
      ])
    }
    add("*", "trending", "", recommend(a, { placement: "trending", limit }).items)
    for (const s of a.segments.list) {
      const member = a.customers.ids.find((_, i) => a.segments.list[a.customers.states[i].segment]?.id === s.id)
      if (member) add(s.id, "segment", s.id, recommend(a, { placement: "segment", customerId: member, limit }).items)
    }
    let ranked = 0
    for (const subject of a.customers.ids) {
      if (subject.startsWith(VISITOR_PREFIX)) continue
      add(subject, "for_you", "", recommend(a, { placement: "for_you", customerId: subject, limit }).items)
      // Ranking every customer is CPU work on the serving thread: let
      // requests in between (a few ms per slice instead of one long stall).
      if (++ranked % RANK_SLICE === 0) await yieldToEventLoop()
    }
    await insertMany(
      m,
      `INSERT INTO interest_recommendation (id, model_version_id, subject_id, placement, context_id, items)`,
      `($1, $2, $3, $4, $5, $6)`,
      rows,
      `ON CONFLICT (model_version_id, subject_id, placement, context_id) DO NOTHING`
    )
  }
}

/**
 * Marks every "running" run, and the version it was training, failed. Only call
 * while holding the training lock: then none of them is really running.
 * @return how many runs were marked
 */
async function failInterruptedRuns(runner: QueryRunner): Promise<number> {
  const message = "Interrupted: the process running it stopped."
  const [rows] = await runner.query(
    `UPDATE interest_training_run SET status = 'failed', error = $1, finished_at = now(), updated_at = now()
     WHERE status = 'running' RETURNING id, model_version_id`,
    [message]
  )
  const versions = (rows as { model_version_id: string | null }[]).flatMap((r) => (r.model_version_id ? [r.model_version_id] : []))
  if (versions.length) {
    await runner.query(
      `UPDATE interest_model_version SET status = 'failed', error = $2, updated_at = now() WHERE id = ANY($1) AND status = 'training'`,
      [versions, message]
    )
  }
  return rows.length
}

/** Customers ranked, and profiles built, between two yields to the event loop. */
const RANK_SLICE = 20
const PROFILE_SLICE = 200

/** Lets pending I/O callbacks (requests) run before the next slice of CPU work. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/** Longest stretch of serializing between two yields. */
const SLICE_MS = 8
const PRIMITIVE_RUN = 20_000

/**
 * The same text as `JSON.stringify(value)`, built piece by piece (plain
 * objects key by key, arrays element by element) with a yield to the event
 * loop whenever a slice has run for SLICE_MS.
 */
async function stringifyInSlices(value: unknown): Promise<string> {
  let sliceStart = Date.now()
  const parts: string[] = []
  const walk = async (v: unknown, depth: number): Promise<void> => {
    if (Date.now() - sliceStart >= SLICE_MS) {
      await yieldToEventLoop()
      sliceStart = Date.now()
    }
    const plainObject = typeof v === "object" && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype
    // Leaves, shallow values and anything with its own toJSON go through JSON.stringify as is.
    if (depth >= 4 || !(Array.isArray(v) || plainObject) || typeof (v as { toJSON?: unknown }).toJSON === "function") {
      parts.push(JSON.stringify(v) ?? "null")
      return
    }
    if (Array.isArray(v) && v.length && (v[0] === null || typeof v[0] !== "object")) {
      // Numbers (weights, vectors): whole runs at a time, a promise per element would cost more than it saves.
      parts.push("[")
      for (let i = 0; i < v.length; i += PRIMITIVE_RUN) {
        if (i) parts.push(",")
        parts.push(JSON.stringify(v.slice(i, i + PRIMITIVE_RUN)).slice(1, -1))
        if (Date.now() - sliceStart >= SLICE_MS) {
          await yieldToEventLoop()
          sliceStart = Date.now()
        }
      }
      parts.push("]")
      return
    }
    if (Array.isArray(v)) {
      parts.push("[")
      for (let i = 0; i < v.length; i++) {
        if (i) parts.push(",")
        const item = v[i]
        // JSON.stringify writes null for these inside arrays.
        if (item === undefined || typeof item === "function" || typeof item === "symbol") parts.push("null")
        else await walk(item, depth + 1)
      }
      parts.push("]")
      return
    }
    parts.push("{")
    let first = true
    for (const [key, item] of Object.entries(v as Record<string, unknown>)) {
      // ...and leaves these keys out of objects.
      if (item === undefined || typeof item === "function" || typeof item === "symbol") continue
      if (!first) parts.push(",")
      first = false
      parts.push(JSON.stringify(key), ":")
      await walk(item, depth + 1)
    }
    parts.push("}")
  }
  await walk(value, 0)
  return parts.join("")
}

/** Start of engine period `p` (periods count from the Unix epoch in UTC). */
function periodStartMs(p: number, unit: string): number {
  const DAY = 86_400_000
  if (unit === "day") return p * DAY
  // 1970-01-01 was a Thursday; weeks start on Monday.
  if (unit === "week") return p * 7 * DAY - 3 * DAY
  const year = 1970 + Math.floor(p / 12)
  return Date.UTC(year, ((p % 12) + 12) % 12, 1)
}

/** Bulk insert in chunks; `template` uses $1..$n for one row. */
async function insertMany(m: EntityManager, head: string, template: string, rows: unknown[][], tail = ""): Promise<void> {
  if (!rows.length) return
  const width = rows[0].length
  const perChunk = Math.max(1, Math.floor(30000 / width))
  for (let i = 0; i < rows.length; i += perChunk) {
    const chunk = rows.slice(i, i + perChunk)
    const params: unknown[] = []
    const values = chunk.map((row, r) => {
      params.push(...row)
      return template.replace(/\$(\d+)/g, (_, n) => `$${r * width + Number(n)}`)
    })
    await m.query(`${head} VALUES ${values.join(", ")} ${tail}`, params)
  }
}

export default InterestTrainingService
