import { TransactionBaseService } from "@medusajs/medusa"
import { MedusaError } from "medusa-core-utils"
import { EntityManager } from "typeorm"
import { assignArm, dailySeries, summariseExperiment, validateShares } from "../engine/experiments"
import type { ArmResult, DailyPoint } from "../engine/experiments"
import type { SrmResult } from "../engine/experiments"
import { PLACEMENTS } from "../engine/pipeline"
import { InterestExperiment } from "../models/interest-experiment"
import InterestExperimentRepository, { ArmActivityRow } from "../repositories/interest-experiment"
import InterestModelVersionRepository from "../repositories/interest-model-version"
import InterestVisitorLinkRepository from "../repositories/interest-visitor-link"
import { servingExperiments } from "../runtime/serving-experiments"
import type { ArmStrategy, ExperimentArm, ExperimentStatus } from "../types/experiments"
import { VISITOR_PREFIX } from "../types/events"
import { ATTRIBUTION_WINDOW_DAYS } from "../options/plugin-options"

type InjectedDependencies = {
  manager: EntityManager
  interestExperimentRepository: typeof InterestExperimentRepository
  interestVisitorLinkRepository: typeof InterestVisitorLinkRepository
  interestModelVersionRepository: typeof InterestModelVersionRepository
}

export const ARM_STRATEGIES: readonly ArmStrategy[] = ["model", "trending", "popular_in_category", "none"]

export interface CreateExperimentInput {
  name: string
  placement: string
  arms: ExperimentArm[]
  /** Defaults to the first arm that is not `model`, else the first arm serving the active version, else the first arm. */
  control_arm?: string
}

/** What a served list is, for one shopper and placement. */
export interface ArmAssignment {
  /** Null when a shipped winner serves everyone (no experiment is measuring). */
  experiment_id: string | null
  arm: string | null
  strategy: ArmStrategy
  /** The version a `model` arm serves instead of the active one, if it names one. */
  model_version_id: string | null
}

/** An arm's outcome: its shoppers' metrics with intervals, and its lists' last-touch activity. */
export interface ArmOutcome extends ArmResult, Omit<ArmActivityRow, "arm" | "orders" | "revenue"> {
  strategy: ArmStrategy
  /** The model version a `model` arm names; null: the active version. */
  model_version_id: string | null
  /** Orders and revenue credited to the arm's lists by last touch. */
  attributed_orders: number
  attributed_revenue: number
}

export interface ExperimentResults {
  experiment: InterestExperiment
  /** Revenue is in this currency's smallest unit; orders in other currencies count as orders without revenue. */
  currency_code: string | null
  attribution_window_days: number
  control: string
  /** Converting shoppers each arm and the control need before an arm is judged (`judged`, `significant`). */
  min_converting_shoppers: number
  arms: ArmOutcome[]
  srm: SrmResult
  daily: DailyPoint[]
}

/**
 * Online experiments on placements: create, start, stop (and ship a winner),
 * assign shoppers to arms while one runs, and measure each arm against the
 * control over its exposed shoppers (engine/experiments).
 */
class InterestExperimentService extends TransactionBaseService {
  static readonly Events = {
    STARTED: "interest.experiment_started",
    STOPPED: "interest.experiment_stopped",
  }

  protected readonly interestExperimentRepository_: typeof InterestExperimentRepository
  protected readonly interestVisitorLinkRepository_: typeof InterestVisitorLinkRepository
  protected readonly interestModelVersionRepository_: typeof InterestModelVersionRepository

  constructor(container: InjectedDependencies) {
    // eslint-disable-next-line prefer-rest-params
    super(arguments[0])
    this.interestExperimentRepository_ = container.interestExperimentRepository
    this.interestVisitorLinkRepository_ = container.interestVisitorLinkRepository
    this.interestModelVersionRepository_ = container.interestModelVersionRepository
  }

  /**
   * @param id - an experiment id
   * @return the experiment
   */
  async retrieve(id: string): Promise<InterestExperiment> {
    const repo = this.activeManager_.withRepository(this.interestExperimentRepository_)
    const found = await repo.findOne({ where: { id } })
    if (!found) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Experiment with id: ${id} was not found.`)
    return found
  }

  /**
   * @param selector - `status` to keep one status
   * @param config - skip and take
   * @return experiments, newest first, and their count
   */
  async listAndCount(
    selector: { status?: ExperimentStatus } = {},
    config: { skip?: number; take?: number } = {}
  ): Promise<[InterestExperiment[], number]> {
    const repo = this.activeManager_.withRepository(this.interestExperimentRepository_)
    return await repo.findAndCount({
      where: selector.status ? { status: selector.status } : {},
      order: { created_at: "DESC", id: "DESC" },
      skip: config.skip ?? 0,
      take: config.take ?? 20,
    })
  }

  /**
   * Creates a draft. Arms need distinct names, known strategies and shares
   * summing to 1; a `model` arm may name a stored, ready model version.
   * @param input - name, placement, arms, control arm
   * @return the draft
   */
  async create(input: CreateExperimentInput): Promise<InterestExperiment> {
    return await this.atomicPhase_(async (manager) => {
      const repo = manager.withRepository(this.interestExperimentRepository_)
      const arms: ExperimentArm[] = input.arms.map((a) =>
        a.model_version_id ? { name: a.name, share: a.share, strategy: a.strategy, model_version_id: a.model_version_id } : { name: a.name, share: a.share, strategy: a.strategy }
      )
      if (!(PLACEMENTS as readonly string[]).includes(input.placement)) {
        throw invalid(`placement must be one of: ${PLACEMENTS.join(", ")}`)
      }
      try {
        validateShares(arms)
      } catch (e) {
        throw invalid((e as Error).message)
      }
      for (const arm of input.arms) {
        if (!ARM_STRATEGIES.includes(arm.strategy)) {
          throw invalid(`The strategy of arm ${arm.name} must be one of: ${ARM_STRATEGIES.join(", ")}`)
        }
      }
      await this.assertServableVersions(manager, arms)
      const control =
        input.control_arm ?? (arms.find((a) => a.strategy !== "model") ?? arms.find((a) => !a.model_version_id) ?? arms[0]).name
      if (!arms.some((a) => a.name === control)) throw invalid(`control_arm ${control} is not one of the arms.`)
      return await repo.save(repo.create({ name: input.name, placement: input.placement, arms, control_arm: control, status: "draft" }))
    })
  }

  /**
   * Starts a draft: from now on its placement's shoppers are split between its arms.
   * @param id - a draft experiment
   * @return the running experiment
   */
  async start(id: string): Promise<InterestExperiment> {
    const started = await this.atomicPhase_(async (manager) => {
      const repo = manager.withRepository(this.interestExperimentRepository_)
      const experiment = await this.withTransaction(manager).retrieve(id)
      if (experiment.status !== "draft") throw invalid(`Experiment ${id} is ${experiment.status}: only a draft can be started.`)
      // A version named by the draft may have been deleted since; deletions wait for this transaction.
      if (experiment.arms.some((a) => a.model_version_id)) {
        await manager.withRepository(this.interestModelVersionRepository_).lockActivation()
        await this.assertServableVersions(manager, experiment.arms)
      }
      let row: InterestExperiment | undefined
      try {
        row = await repo.startDraft(id)
      } catch (e) {
        // Two starts at once on one placement: the unique index refuses the second.
        if ((e as { code?: string }).code !== "23505") throw e
      }
      if (!row) throw invalid(`Another experiment is already running on the ${experiment.placement} placement: stop it first.`)
      return row
    })
    servingExperiments.invalidate()
    return await this.retrieve(started.id)
  }

  /**
   * Stops a running experiment; with a winner, that arm's strategy serves the
   * whole placement from now on (until another experiment starts there).
   * @param id - a running experiment
   * @param winner - the name of the arm to ship, if any
   * @return the stopped experiment
   */
  async stop(id: string, winner: string | null = null): Promise<InterestExperiment> {
    await this.atomicPhase_(async (manager) => {
      const repo = manager.withRepository(this.interestExperimentRepository_)
      const experiment = await this.withTransaction(manager).retrieve(id)
      if (experiment.status !== "running") throw invalid(`Experiment ${id} is ${experiment.status}: only a running experiment can be stopped.`)
      if (winner !== null && !experiment.arms.some((a) => a.name === winner)) throw invalid(`winner ${winner} is not one of the arms.`)
      if (!(await repo.stopRunning(id, winner))) throw invalid(`Experiment ${id} was stopped meanwhile.`)
    })
    servingExperiments.invalidate()
    return await this.retrieve(id)
  }

  /**
   * Which arm serves this shopper on this placement. The unit is the customer,
   * hashed from the first visitor id they identified (so a visitor who logs in
   * keeps their arm), else from the customer id; or the anonymous visitor id.
   * A shopper nobody knows (no id, opted out) is not in the experiment.
   * @return the assignment, or null when the model serves as without experiments
   */
  async assign(placement: string, customerId: string | null, visitorId: string | null): Promise<ArmAssignment | null> {
    const repo = this.activeManager_.withRepository(this.interestExperimentRepository_)
    const experiment = await servingExperiments.forPlacement(placement, () => repo.serving())
    if (!experiment) return null
    if (experiment.status !== "running") {
      const shipped = experiment.arms.find((a) => a.name === experiment.winner)
      return shipped ? { experiment_id: null, arm: null, strategy: shipped.strategy, model_version_id: shipped.model_version_id ?? null } : null
    }
    const links = this.activeManager_.withRepository(this.interestVisitorLinkRepository_)
    const unit = customerId ? ((await links.firstVisitorOf(customerId)) ?? `c:${customerId}`) : visitorId
    if (!unit) return null
    const name = assignArm(experiment.id, unit, experiment.arms)
    const arm = experiment.arms.find((a) => a.name === name) as ExperimentArm
    return { experiment_id: experiment.id, arm: arm.name, strategy: arm.strategy, model_version_id: arm.model_version_id ?? null }
  }

  /**
   * Throws a 400 unless every version the arms name can serve: a `model` arm's,
   * stored, ready (trained successfully) and not deleted.
   */
  protected async assertServableVersions(manager: EntityManager, arms: ExperimentArm[]): Promise<void> {
    const naming = arms.filter((a) => a.model_version_id)
    if (!naming.length) return
    for (const arm of naming) {
      if (arm.strategy !== "model") throw invalid(`Arm ${arm.name} names a model version, but only a model arm can serve one.`)
    }
    const states = await manager.withRepository(this.interestModelVersionRepository_).armStates(naming.map((a) => a.model_version_id as string))
    const byId = new Map(states.map((s) => [s.id, s]))
    for (const arm of naming) {
      const id = arm.model_version_id as string
      const state = byId.get(id)
      if (!state) throw invalid(`Model version ${id} of arm ${arm.name} was not found.`)
      if (state.deleted) throw invalid(`Model version ${id} of arm ${arm.name} was deleted.`)
      if (state.status !== "ready" || !state.has_artifacts) {
        throw invalid(`Model version ${id} of arm ${arm.name} is ${state.status}: only a ready version can serve an arm.`)
      }
    }
  }

  /**
   * Everything the admin shows for one experiment, from its start to its stop
   * (or now).
   * @param id - an experiment
   * @return per-arm outcomes with intervals against the control, the SRM check, the days
   */
  async results(id: string): Promise<ExperimentResults> {
    const experiment = await this.retrieve(id)
    const repo = this.activeManager_.withRepository(this.interestExperimentRepository_)
    const currency = await repo.storeCurrency()
    const [exposures, activity] = await Promise.all([
      repo.exposures(id, currency, VISITOR_PREFIX),
      repo.activityByArm(id, ATTRIBUTION_WINDOW_DAYS, currency),
    ])
    const until = (experiment.stopped_at ?? new Date()).getTime()
    const shoppers = exposures.map((e) => ({
      arm: e.arm,
      exposedAt: Number(e.exposed_at),
      orders: e.orders.map((o) => ({ at: Number(o.at), revenue: o.revenue ?? 0 })),
    }))
    const summary = summariseExperiment(experiment.arms, experiment.control_arm, shoppers, until)
    const byArm = new Map(activity.map((a) => [a.arm, a]))
    const arms: ArmOutcome[] = summary.arms.map((a) => {
      const act = byArm.get(a.name)
      const arm = experiment.arms.find((x) => x.name === a.name) as ExperimentArm
      return {
        ...a,
        strategy: arm.strategy,
        model_version_id: arm.model_version_id ?? null,
        impressions: act?.impressions ?? 0,
        clicks: act?.clicks ?? 0,
        add_to_carts: act?.add_to_carts ?? 0,
        purchases: act?.purchases ?? 0,
        attributed_orders: act?.orders ?? 0,
        attributed_revenue: act?.revenue ?? 0,
      }
    })
    const from = (experiment.started_at ?? experiment.created_at).getTime()
    return {
      experiment,
      currency_code: currency,
      attribution_window_days: ATTRIBUTION_WINDOW_DAYS,
      control: summary.control,
      min_converting_shoppers: summary.min_converting_shoppers,
      arms,
      srm: summary.srm,
      daily: experiment.started_at ? dailySeries(experiment.arms, experiment.control_arm, shoppers, from, until) : [],
    }
  }
}

function invalid(message: string): MedusaError {
  return new MedusaError(MedusaError.Types.INVALID_DATA, message)
}

export default InterestExperimentService
