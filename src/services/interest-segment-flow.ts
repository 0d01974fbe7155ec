import { TransactionBaseService } from "@medusajs/medusa"
import { MedusaError } from "medusa-core-utils"
import { EntityManager } from "typeorm"
import { GONE_CUSTOMERS, NEW_CUSTOMERS, segmentDrift, segmentFlow } from "../engine/flows"
import { FlowVersionRow, InterestSegmentFlowRepository } from "../repositories/interest-segment-flow"
import { segmentFlowsCache } from "../runtime/flows-cache"
import type { SegmentFlowReport, SegmentFlowVersion } from "../types/segment-flows"

type InjectedDependencies = {
  manager: EntityManager
  interestSegmentFlowRepository: typeof InterestSegmentFlowRepository
}

/** Runs each segment's drift is shown over. */
export const DRIFT_RUNS = 10

export interface SegmentFlowQuery {
  /** The earlier version; default the one trained before `to`. */
  from?: string
  /** The later version; default the latest. */
  to?: string
}

const NOT_ENOUGH = "A segment flow needs two trained versions: train the model again to see where customers move."

/**
 * Where customers moved between the segments of two model versions (each
 * version's stored segment assignment, compared by the engine), and how each
 * segment's size and centroid moved over the last runs. Cached per pair of
 * versions and their revisions (runtime/flows-cache.ts).
 */
class InterestSegmentFlowService extends TransactionBaseService {
  protected readonly interestSegmentFlowRepository_: typeof InterestSegmentFlowRepository

  constructor(container: InjectedDependencies) {
    // eslint-disable-next-line prefer-rest-params
    super(arguments[0])
    this.interestSegmentFlowRepository_ = container.interestSegmentFlowRepository
  }

  /**
   * @param query - the two versions (default: the last two)
   * @return the flow between their segments and the drift of the later one's segments
   * @throws MedusaError INVALID_DATA for an unknown version, one without segments, the same version twice, or from trained after to
   */
  async flow(query: SegmentFlowQuery): Promise<SegmentFlowReport> {
    const repo = this.activeManager_.withRepository(this.interestSegmentFlowRepository_)
    const pair = await this.pair(query)
    if (!pair) return emptyReport(NOT_ENOUGH)
    const [from, to] = pair
    const runs = (await repo.runsUpTo(to, DRIFT_RUNS)).reverse()
    const key = [from, to, ...runs].map((v) => `${v.id}@${v.revision}`).join("|")
    const computed = await segmentFlowsCache.getAsync(key, "flow", async () => {
      const [before, after] = await Promise.all([repo.assignmentOf(from.id), repo.assignmentOf(to.id)])
      return { flow: segmentFlow(before, after), drift: segmentDrift(runs) }
    })
    const { flow, drift } = computed
    const size = (side: "from" | "to", id: string): number =>
      flow.cells.filter((c) => c[side] === id).reduce((n, c) => n + c.customers, 0)
    const ids = [...new Set(flow.cells.flatMap((c) => [c.from, c.to]).concat(drift.map((d) => d.id)))].filter(
      (id) => id !== NEW_CUSTOMERS && id !== GONE_CUSTOMERS
    )
    const names = await repo.segmentNames(ids)
    return {
      from: versionOf(from),
      to: versionOf(to),
      segments: ids
        .map((id) => ({ id, name: names.get(id)?.name ?? id, status: names.get(id)?.status ?? null, from_size: size("from", id), to_size: size("to", id) }))
        .sort((a, b) => b.to_size - a.to_size || b.from_size - a.from_size || a.id.localeCompare(b.id)),
      flows: flow.cells,
      totals: { stayed: flow.stayed, moved: flow.moved, new: flow.joined, gone: flow.left },
      drift: {
        runs: runs.map((r) => ({ id: r.id, created_at: new Date(r.created_at).toISOString() })),
        segments: drift.map((d) => ({ id: d.id, sizes: d.sizes, centroid_shifts: d.shifts })),
      },
      note: null,
    }
  }

  /** The two versions to compare, checked; null when the shop has fewer than two. */
  private async pair(query: SegmentFlowQuery): Promise<[FlowVersionRow, FlowVersionRow] | null> {
    const repo = this.activeManager_.withRepository(this.interestSegmentFlowRepository_)
    if (query.from && query.to && query.from === query.to) {
      throw invalid(`from and to are the same version (${query.from}): a flow compares two different versions.`)
    }
    const [givenFrom, givenTo] = await Promise.all([
      query.from ? this.flowable(query.from, "from") : null,
      query.to ? this.flowable(query.to, "to") : null,
    ])
    let to = givenTo
    if (!to) {
      ;[to] = await repo.latestFlowable(1)
      if (!to) return null
    }
    if (givenFrom && givenFrom.id === to.id) {
      throw invalid(`from (${givenFrom.id}) is the latest trained version: there is no later one to compare it with; give to.`)
    }
    const from = givenFrom ?? (await repo.latestFlowable(1, to))[0]
    if (!from) {
      if (givenTo) throw invalid(`to (${givenTo.id}) is the first trained version: there is no earlier one to compare it with; give from.`)
      return null
    }
    if (trainedAfter(from, to)) {
      throw invalid(`from (${from.id}) was trained after to (${to.id}): from must be the earlier version.`)
    }
    return [from, to]
  }

  /** A version given in the query, if it has segments to compare. */
  private async flowable(id: string, param: "from" | "to"): Promise<FlowVersionRow> {
    const v = await this.activeManager_.withRepository(this.interestSegmentFlowRepository_).version(id)
    if (!v) throw invalid(`${param}: model version with id: ${id} was not found.`)
    if (v.status !== "ready") throw invalid(`${param}: model version ${id} is ${v.status}; only a ready version has segments.`)
    if (!v.has_assignment) throw invalid(`${param}: model version ${id} has no stored segment assignment to compare.`)
    return v
  }
}

function invalid(message: string): MedusaError {
  return new MedusaError(MedusaError.Types.INVALID_DATA, message)
}

function trainedAfter(a: FlowVersionRow, b: FlowVersionRow): boolean {
  const ta = new Date(a.created_at).getTime()
  const tb = new Date(b.created_at).getTime()
  return ta > tb || (ta === tb && a.id > b.id)
}

function versionOf(v: FlowVersionRow): SegmentFlowVersion {
  return { id: v.id, created_at: new Date(v.created_at).toISOString(), is_active: v.is_active, customers: Number(v.customers) }
}

function emptyReport(note: string): SegmentFlowReport {
  return { from: null, to: null, segments: [], flows: [], totals: { stayed: 0, moved: 0, new: 0, gone: 0 }, drift: { runs: [], segments: [] }, note }
}

export default InterestSegmentFlowService
