import { EventBusService, TransactionBaseService } from "@medusajs/medusa"
import { MedusaError } from "medusa-core-utils"
import { EntityManager, FindOptionsSelect } from "typeorm"
import { InterestModelVersion } from "../models/interest-model-version"
import { modelRegistry } from "../runtime/model-registry"
import { InterestModelVersionRepository } from "../repositories/interest-model-version"
import { InterestExperimentRepository } from "../repositories/interest-experiment"
import { namedVersions } from "../runtime/serving-experiments"
import { InterestSegmentRepository } from "../repositories/interest-segment"
import { InterestSegmentMemberRepository } from "../repositories/interest-segment-member"

type InjectedDependencies = {
  manager: EntityManager
  eventBusService: EventBusService
  interestModelVersionRepository: typeof InterestModelVersionRepository
  interestSegmentRepository: typeof InterestSegmentRepository
  interestSegmentMemberRepository: typeof InterestSegmentMemberRepository
  interestExperimentRepository: typeof InterestExperimentRepository
}

export interface ModelVersionSelector {
  /** training | ready | failed */
  status?: string
}

export interface Pagination {
  skip: number
  take: number
}

/** Payload of `interest.model_activated`. */
export interface ModelActivatedPayload {
  id: string
  /** The version that was serving before, if any. */
  previous_id: string | null
}

/**
 * Every column but `artifacts` and `segment_assignment`: the serialized model
 * weights are large (hundreds of kB), the assignment has one entry per customer;
 * only training, serving and segment membership need them, never an admin list.
 */
export const MODEL_VERSION_SUMMARY_FIELDS: (keyof InterestModelVersion)[] = [
  "id",
  "status",
  "is_active",
  "metrics",
  "options",
  "backend",
  "duration_ms",
  "event_count",
  "customer_count",
  "error",
  "activated_at",
  "training_run_id",
  "created_at",
  "updated_at",
]

const SUMMARY_SELECT = Object.fromEntries(
  MODEL_VERSION_SUMMARY_FIELDS.map((f) => [f, true])
) as FindOptionsSelect<InterestModelVersion>

/**
 * Trained model versions as the admin manages them: list, inspect, activate (or
 * roll back to) a ready version, delete an old one. Training itself lives in
 * the training service; this one only switches which version serves.
 */
class InterestModelVersionService extends TransactionBaseService {
  static readonly Events = {
    ACTIVATED: "interest.model_activated",
    DELETED: "interest.model_deleted",
  }

  protected readonly eventBus_: EventBusService

  protected readonly interestModelVersionRepository_: typeof InterestModelVersionRepository
  protected readonly interestSegmentRepository_: typeof InterestSegmentRepository
  protected readonly interestSegmentMemberRepository_: typeof InterestSegmentMemberRepository
  protected readonly interestExperimentRepository_: typeof InterestExperimentRepository

  constructor(container: InjectedDependencies) {
    // eslint-disable-next-line prefer-rest-params
    super(arguments[0])
    this.eventBus_ = container.eventBusService
    this.interestModelVersionRepository_ = container.interestModelVersionRepository
    this.interestSegmentRepository_ = container.interestSegmentRepository
    this.interestSegmentMemberRepository_ = container.interestSegmentMemberRepository
    this.interestExperimentRepository_ = container.interestExperimentRepository
  }

  /**
   * @param id - a model version id
   * @param config - `withArtifacts` to load the (large) artifacts column too
   * @return the version (soft-deleted versions are not found)
   */
  async retrieve(
    id: string,
    config: { withArtifacts?: boolean; manager?: EntityManager } = {}
  ): Promise<InterestModelVersion> {
    const manager = config.manager ?? this.activeManager_
    const version = id
      ? await manager.withRepository(this.interestModelVersionRepository_).findOne({
          where: { id },
          ...(config.withArtifacts ? {} : { select: SUMMARY_SELECT }),
        })
      : null
    if (!version) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Model version with id: ${id} was not found.`)
    }
    return version
  }

  /**
   * Versions without their artifacts, newest first.
   * @param selector - an optional status
   * @param config - skip and take
   * @return the page of versions and the total count
   */
  async listAndCount(
    selector: ModelVersionSelector = {},
    config: Pagination = { skip: 0, take: 20 }
  ): Promise<[InterestModelVersion[], number]> {
    return await this.activeManager_.withRepository(this.interestModelVersionRepository_).findAndCount({
      where: selector.status ? { status: selector.status } : {},
      select: SUMMARY_SELECT,
      order: { created_at: "DESC", id: "DESC" },
      skip: config.skip,
      take: config.take,
    })
  }

  /**
   * @return the serving version (without artifacts), or null before the first activation
   */
  async retrieveActive(): Promise<InterestModelVersion | null> {
    return await this.activeManager_
      .withRepository(this.interestModelVersionRepository_)
      .findOne({ where: { is_active: true }, select: SUMMARY_SELECT })
  }

  /**
   * Makes a ready version the serving one (also how a rollback is done): in one
   * transaction the current version is switched off and this one on, then
   * `interest.model_activated` is emitted with `{ id, previous_id }` (the
   * training service re-points segment membership on it). Activations are
   * serialized with a transaction-scoped advisory lock, so two concurrent calls
   * cannot both pass the "at most one active" partial unique index check.
   * Activating the version that already serves changes nothing and emits nothing.
   * @param id - a model version id
   * @return the activated version
   */
  async activate(id: string): Promise<InterestModelVersion> {
    const activated = await this.atomicPhase_(async (manager) => {
      const versions = manager.withRepository(this.interestModelVersionRepository_)
      await versions.lockActivation()
      const version = await this.retrieve(id, { manager })
      if (version.status !== "ready") {
        throw new MedusaError(
          MedusaError.Types.NOT_ALLOWED,
          `Model version with id: ${id} is ${version.status}; only a ready version can be activated.`
        )
      }
      if (version.is_active) {
        return version
      }
      const previousId = await versions.deactivateCurrent()
      await versions.markActive(id)
      await this.applyMembership(manager, id)
      const payload: ModelActivatedPayload = { id, previous_id: previousId }
      await this.eventBus_.withTransaction(manager).emit(InterestModelVersionService.Events.ACTIVATED, payload)
      return await this.retrieve(id, { manager })
    })
    modelRegistry.invalidate()
    return activated
  }

  /**
   * Segment members := the version's `segment_assignment`; segments the version
   * does not have retire unless pinned. A version without an assignment leaves
   * membership as it is.
   */
  protected async applyMembership(manager: EntityManager, versionId: string): Promise<void> {
    if (await manager.withRepository(this.interestSegmentMemberRepository_).replaceWithAssignmentOf(versionId)) {
      await manager.withRepository(this.interestSegmentRepository_).applyVersion(versionId)
    }
  }

  /**
   * Soft-deletes a version that does not serve: neither the active one nor one
   * an experiment arm serves (running, or a shipped winner). Its recommendation rows stay
   * until the row is purged (they cascade on a hard delete).
   * @param id - a model version id
   * @return nothing
   */
  async delete(id: string): Promise<void> {
    await this.atomicPhase_(async (manager) => {
      const versions = manager.withRepository(this.interestModelVersionRepository_)
      await versions.lockActivation()
      const version = await this.retrieve(id, { manager })
      if (version.is_active) {
        throw new MedusaError(
          MedusaError.Types.NOT_ALLOWED,
          `Model version with id: ${id} is the active one; activate another version before deleting it.`
        )
      }
      // Experiment starts take the same lock before they check the versions they name.
      const serving = await manager.withRepository(this.interestExperimentRepository_).serving()
      const user = serving.find((x) => namedVersions([x]).includes(id))
      if (user) {
        throw new MedusaError(
          MedusaError.Types.NOT_ALLOWED,
          `Model version with id: ${id} serves an arm of experiment ${user.id} (${user.status === "running" ? "running" : "its shipped winner"}); stop it, or start another experiment on its placement, first.`
        )
      }
      await versions.softDelete({ id })
      await this.eventBus_.withTransaction(manager).emit(InterestModelVersionService.Events.DELETED, { id })
    })
  }
}

export default InterestModelVersionService
