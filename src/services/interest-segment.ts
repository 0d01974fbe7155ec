import { CustomerGroup, CustomerGroupService, EventBusService, TransactionBaseService } from "@medusajs/medusa"
import { MedusaError } from "medusa-core-utils"
import { EntityManager, ILike } from "typeorm"
import { InterestSegment } from "../models/interest-segment"
import { InterestSegmentRepository } from "../repositories/interest-segment"
import { InterestSegmentMemberRepository, SegmentMember } from "../repositories/interest-segment-member"
import { InterestSegmentGroupRepository } from "../repositories/interest-segment-group"

export type { SegmentMember }

type InjectedDependencies = {
  manager: EntityManager
  eventBusService: EventBusService
  customerGroupService: CustomerGroupService
  interestSegmentRepository: typeof InterestSegmentRepository
  interestSegmentMemberRepository: typeof InterestSegmentMemberRepository
  interestSegmentGroupRepository: typeof InterestSegmentGroupRepository
}

/** Which segments a list returns: the live ones, the retired ones, or both. */
export type SegmentStatusFilter = "active" | "retired" | "all"

export interface SegmentSelector {
  status?: SegmentStatusFilter
  /** Case-insensitive part of the segment's name. */
  q?: string
}

export interface Pagination {
  skip: number
  take: number
}

export interface UpdateSegmentInput {
  name?: string
  description?: string | null
  pinned?: boolean
}

export interface SyncCustomerGroupResult {
  customer_group: CustomerGroup
  /** Customers added to the group by this sync. */
  added: number
  /** Customers removed from the group by this sync. */
  removed: number
  /** Members of the group after the sync (= the segment's existing customers). */
  size: number
}

/** Prefix of the name of the customer group a segment is synced to. */
export const CUSTOMER_GROUP_PREFIX = "Interest: "

/**
 * Segments of customers with similar interests (written by training) as the
 * admin sees them: list, rename, pin, members, and the sync to a Medusa
 * customer group so discounts and price lists can target a segment.
 */
class InterestSegmentService extends TransactionBaseService {
  static readonly Events = {
    UPDATED: "interest.segment_updated",
    SYNCED: "interest.segment_synced",
  }

  protected readonly eventBus_: EventBusService
  protected readonly customerGroupService_: CustomerGroupService

  protected readonly interestSegmentRepository_: typeof InterestSegmentRepository
  protected readonly interestSegmentMemberRepository_: typeof InterestSegmentMemberRepository
  protected readonly interestSegmentGroupRepository_: typeof InterestSegmentGroupRepository

  constructor(container: InjectedDependencies) {
    // eslint-disable-next-line prefer-rest-params
    super(arguments[0])
    this.eventBus_ = container.eventBusService
    this.customerGroupService_ = container.customerGroupService
    this.interestSegmentRepository_ = container.interestSegmentRepository
    this.interestSegmentMemberRepository_ = container.interestSegmentMemberRepository
    this.interestSegmentGroupRepository_ = container.interestSegmentGroupRepository
  }

  /**
   * @param id - a segment id
   * @param manager - the manager to read with (the active one by default)
   * @return the segment (soft-deleted segments are not found)
   */
  async retrieve(id: string, manager: EntityManager = this.activeManager_): Promise<InterestSegment> {
    const segment = id ? await manager.withRepository(this.interestSegmentRepository_).findOne({ where: { id } }) : null
    if (!segment) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Segment with id: ${id} was not found.`)
    }
    return segment
  }

  /**
   * Segments, largest first.
   * @param selector - status (active by default) and an optional name filter
   * @param config - skip and take
   * @return the page of segments and the total count
   */
  async listAndCount(
    selector: SegmentSelector = {},
    config: Pagination = { skip: 0, take: 20 }
  ): Promise<[InterestSegment[], number]> {
    const status = selector.status ?? "active"
    const where: Record<string, unknown> = {}
    if (status !== "all") {
      where.status = status
    }
    if (selector.q) {
      where.name = ILike(`%${escapeLike(selector.q)}%`)
    }
    return await this.activeManager_.withRepository(this.interestSegmentRepository_).findAndCount({
      where,
      order: { size: "DESC", id: "ASC" },
      skip: config.skip,
      take: config.take,
    })
  }

  /**
   * Renames, describes or pins a segment. Training keeps a renamed segment's
   * name (it only rewrites `auto_name`) and never retires a pinned one.
   * @param id - a segment id
   * @param data - the fields to change
   * @return the updated segment
   */
  async update(id: string, data: UpdateSegmentInput): Promise<InterestSegment> {
    return await this.atomicPhase_(async (manager) => {
      const repo = manager.withRepository(this.interestSegmentRepository_)
      const segment = await this.retrieve(id, manager)
      if (data.name !== undefined) {
        segment.name = data.name.trim()
      }
      if (data.description !== undefined) {
        segment.description = data.description
      }
      if (data.pinned !== undefined) {
        segment.pinned = data.pinned
      }
      const saved = await repo.save(segment)
      await this.eventBus_
        .withTransaction(manager)
        .emit(InterestSegmentService.Events.UPDATED, { id: saved.id, fields: Object.keys(data) })
      return saved
    })
  }

  /**
   * The customers of a segment, closest to the centroid first.
   * @param id - a segment id
   * @param config - skip and take
   * @return the page of members and the total count
   */
  async listMembers(id: string, config: Pagination = { skip: 0, take: 50 }): Promise<[SegmentMember[], number]> {
    await this.retrieve(id)
    const members = this.activeManager_.withRepository(this.interestSegmentMemberRepository_)
    return await Promise.all([members.listWithCustomers(id, config.skip, config.take), members.countOf(id)])
  }

  /**
   * Makes a Medusa customer group hold exactly the segment's members: creates
   * the group the first time (or again, if a merchant deleted it), then adds
   * the missing customers and removes the extra ones. Goes through Medusa's
   * CustomerGroupService so its own rules apply. The segment row is locked for
   * the transaction, so two concurrent syncs cannot create two groups.
   * @param id - a segment id
   * @return the group, how many customers were added and removed, and its size
   */
  async syncCustomerGroup(id: string): Promise<SyncCustomerGroupResult> {
    return await this.atomicPhase_(async (manager) => {
      const segments = manager.withRepository(this.interestSegmentRepository_)
      if (!(await segments.lockLive(id))) {
        throw new MedusaError(MedusaError.Types.NOT_FOUND, `Segment with id: ${id} was not found.`)
      }
      const segment = await this.retrieve(id, manager)
      const groups = this.customerGroupService_.withTransaction(manager)

      const members = new Set(await manager.withRepository(this.interestSegmentMemberRepository_).liveCustomerIds(id))

      let group: CustomerGroup | null = null
      if (segment.customer_group_id) {
        group = await groups.retrieve(segment.customer_group_id).catch((e: MedusaError) => {
          if (e?.type === MedusaError.Types.NOT_FOUND) {
            return null
          }
          throw e
        })
      }
      const name = await this.groupName(segment, group?.id ?? null, manager)
      const metadata = { interest_segment_id: segment.id }
      if (!group) {
        group = await groups.create({ name, metadata } as Partial<CustomerGroup> as CustomerGroup)
      } else if (group.name !== name || group.metadata?.interest_segment_id !== segment.id) {
        group = await groups.update(group.id, { name, metadata })
      }

      const current = new Set(await manager.withRepository(this.interestSegmentGroupRepository_).customerIds(group.id))
      const toAdd = [...members].filter((c) => !current.has(c))
      const toRemove = [...current].filter((c) => !members.has(c))
      if (toAdd.length) {
        await groups.addCustomers(group.id, toAdd)
      }
      if (toRemove.length) {
        await groups.removeCustomer(group.id, toRemove)
      }

      await segments.markSynced(segment.id, group.id)
      await this.eventBus_.withTransaction(manager).emit(InterestSegmentService.Events.SYNCED, {
        id: segment.id,
        customer_group_id: group.id,
        added: toAdd.length,
        removed: toRemove.length,
      })
      return {
        customer_group: await groups.retrieve(group.id),
        added: toAdd.length,
        removed: toRemove.length,
        size: members.size,
      }
    })
  }

  /**
   * `Interest: <segment name>`; customer group names are unique among live
   * groups, so when another group already holds that name the segment id is
   * appended rather than failing the sync.
   */
  private async groupName(segment: InterestSegment, ownGroupId: string | null, manager: EntityManager): Promise<string> {
    const wanted = `${CUSTOMER_GROUP_PREFIX}${segment.name}`
    const taken = await manager.withRepository(this.interestSegmentGroupRepository_).liveIdsNamed(wanted)
    if (!taken.length || taken.every((groupId) => groupId === ownGroupId)) {
      return wanted
    }
    return `${wanted} (${segment.id})`
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`)
}

export default InterestSegmentService
