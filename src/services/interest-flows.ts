import { TransactionBaseService } from "@medusajs/medusa"
import { MedusaError } from "medusa-core-utils"
import { EntityManager } from "typeorm"
import { PERIOD_UNITS, PeriodUnit, periodOf, periodStart } from "../engine/data/periods"
import {
  DEFAULT_SHARE_OPTIONS,
  DEFAULT_TRANSITION_OPTIONS,
  canRegroup,
  interestShares,
  regroupPeriods,
  regroupedPeriod,
  SeasonCycle,
  cycleFits,
  seasonalIndex,
  spanDays,
  transitionMatrix,
} from "../engine/flows"
import { ActiveModel, modelRegistry } from "../runtime/model-registry"
import { flowsCache } from "../runtime/flows-cache"
import { InterestNameRepository } from "../repositories/interest-name"
import type { FlowContext, InterestSharesReport, SeasonsReport, TransitionsReport } from "../types/interest-flows"

type InjectedDependencies = {
  manager: EntityManager
  interestNameRepository: typeof InterestNameRepository
}

/** Periods a report covers when the query gives no `from`. */
export const DEFAULT_FLOW_PERIODS = 12
/** Most periods one report covers (a year of days). */
export const MAX_FLOW_PERIODS = 366

export interface FlowQuery {
  /** Inclusive; default DEFAULT_FLOW_PERIODS periods before `to`. */
  from?: Date
  /** Exclusive; default the end of the model's last period. */
  to?: Date
  /** Default the model's own period unit. */
  period?: PeriodUnit
  /** Categories reported. */
  limit?: number
}

export interface SeasonQuery {
  /** Default "month". */
  cycle?: SeasonCycle
  /** Inclusive; default the start of the model's history. */
  from?: Date
  /** Exclusive; default the end of its last period. */
  to?: Date
  /** Categories reported (most interest first). */
  limit?: number
}

/** Categories a seasons report shows when the query gives no limit. */
export const DEFAULT_SEASON_CATEGORIES = 8

const SLOT_LABELS: Record<SeasonCycle, string[]> = {
  month: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
  weekday: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
}
const CYCLE_NEEDS: Record<SeasonCycle, string> = { month: "a year", weekday: "a week" }

interface Window {
  active: ActiveModel
  unit: PeriodUnit
  modelUnit: PeriodUnit
  first: number
  last: number
}

const NO_MODEL = "There is no active model yet: train one on the Models page."
const NO_HISTORY = "The active model holds no customer history in this window."
const r6 = (x: number): number => Math.round(x * 1e6) / 1e6

/**
 * Shop-level interest flows from the active model: shares of interest per
 * category and period, and the transitions between categories. Computed by the
 * engine (engine/flows) from the customers' period profiles the model keeps,
 * once per model version and query (runtime/flows-cache.ts).
 */
class InterestFlowsService extends TransactionBaseService {
  protected readonly interestNameRepository_: typeof InterestNameRepository

  constructor(container: InjectedDependencies) {
    // eslint-disable-next-line prefer-rest-params
    super(arguments[0])
    this.interestNameRepository_ = container.interestNameRepository
  }

  /**
   * @param query - window, period unit and number of categories (default 8)
   * @return each top category's share of interest per period, rising and falling ones marked
   * @throws MedusaError INVALID_DATA for a window that is reversed, too long, or finer than the model's periods
   */
  async shares(query: FlowQuery): Promise<InterestSharesReport> {
    const w = await this.window(query)
    const empty = { periods: [], categories: [], other: [], trend_min_change: DEFAULT_SHARE_OPTIONS.trendMinChange }
    if (!("active" in w)) return { ...w, ...empty }
    const top = query.limit ?? DEFAULT_SHARE_OPTIONS.top
    const result = flowsCache.get(this.modelKey(w.active), `shares|${w.unit}|${w.first}|${w.last}|${top}`, () =>
      interestShares(this.sequences(w), w, { top })
    )
    const context = this.context(w, result.customers.some((n) => n > 0) ? null : NO_HISTORY)
    const names = await this.names()
    const ids = w.active.model.artifacts.categories
    return {
      ...context,
      periods: result.periods.map((p, t) => ({ start: new Date(periodStart(p, w.unit)).toISOString(), customers: result.customers[t] })),
      categories: result.categories.map((c) => ({
        id: ids[c.category],
        name: names.get(ids[c.category]) ?? null,
        shares: c.shares.map(r6),
        mean_share: r6(c.mean),
        change: r6(c.change),
        trend: c.trend,
      })),
      other: result.other.map(r6),
      trend_min_change: DEFAULT_SHARE_OPTIONS.trendMinChange,
    }
  }

  /**
   * @param query - window, period unit and number of categories (default 20)
   * @return the transition matrix between the top categories, with the customers behind each cell
   * @throws MedusaError INVALID_DATA as for `shares`
   */
  async transitions(query: FlowQuery): Promise<TransitionsReport> {
    const w = await this.window(query)
    const empty = { categories: [], rows: [], min_customers: DEFAULT_TRANSITION_OPTIONS.minCustomers }
    if (!("active" in w)) return { ...w, ...empty }
    const top = query.limit ?? DEFAULT_TRANSITION_OPTIONS.top
    const m = flowsCache.get(this.modelKey(w.active), `transitions|${w.unit}|${w.first}|${w.last}|${top}`, () =>
      transitionMatrix(this.sequences(w), { top })
    )
    const names = await this.names()
    const ids = w.active.model.artifacts.categories
    return {
      ...this.context(w, m.rows.some((r) => r.customers > 0) ? null : NO_HISTORY),
      categories: m.categories.map((c) => ({ id: ids[c], name: names.get(ids[c]) ?? null })),
      rows: m.rows.map((r) => ({
        id: ids[r.category],
        customers: r.customers,
        transitions: r.transitions,
        sparse: r.sparse,
        other: r6(r.other),
        cells: r.cells.map((c) => ({ ...c, probability: r6(c.probability) })),
      })),
      min_customers: m.minCustomers,
    }
  }

  /**
   * @param query - cycle (month of the year or day of the week), window, number of categories
   * @return each top category's seasonal index per slot, from the model's customer period
   *   profiles; no categories (with a note) when the history spans less than one cycle
   * @throws MedusaError INVALID_DATA for a reversed window, or days of the week from a model without day periods
   */
  async seasons(query: SeasonQuery): Promise<SeasonsReport> {
    const cycle = query.cycle ?? "month"
    if (query.from && query.to && query.from.getTime() >= query.to.getTime()) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "from must be before to.")
    }
    const slots = SLOT_LABELS[cycle]
    const active = await modelRegistry.getActive(this.activeManager_)
    const none = { cycle, slots, customers: slots.map(() => 0), categories: [] }
    if (!active) {
      return { model_version_id: null, trained_at: null, model_period: null, from: null, to: null, span_days: null, note: NO_MODEL, ...none }
    }
    const unit = active.model.artifacts.options.period
    if (!cycleFits(unit, cycle)) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `The active model keeps ${unit} periods: days of the week need a model of day periods.`)
    }
    const first = query.from ? periodOf(query.from.getTime(), unit) : -Infinity
    const last = query.to ? periodOf(query.to.getTime() - 1, unit) : Infinity
    const customers = active.model.stage.customers
    let lo = Infinity
    let hi = -Infinity
    for (const c of customers) {
      for (const p of c.periods) {
        if (p.period < first || p.period > last || p.vector.size === 0) continue
        if (p.period < lo) lo = p.period
        if (p.period > hi) hi = p.period
      }
    }
    const context = {
      model_version_id: active.versionId,
      trained_at: active.trainedAt.toISOString(),
      model_period: unit,
      from: Number.isFinite(lo) ? new Date(periodStart(lo, unit)).toISOString() : null,
      to: Number.isFinite(hi) ? new Date(periodStart(hi + 1, unit)).toISOString() : null,
      span_days: Number.isFinite(lo) ? Math.round(spanDays(lo, hi, unit)) : 0,
    }
    const index = flowsCache.get(this.modelKey(active), `seasons|${cycle}|${first}|${last}`, () =>
      seasonalIndex(
        customers.map((c) => c.periods.filter((p) => p.period >= first && p.period <= last)),
        unit,
        cycle
      )
    )
    if (!index) {
      const note = Number.isFinite(lo)
        ? `The model's history here spans ${context.span_days} days; a seasonal index needs at least ${CYCLE_NEEDS[cycle]}.`
        : NO_HISTORY
      return { ...context, note, ...none }
    }
    const names = await this.names()
    const ids = active.model.artifacts.categories
    return {
      ...context,
      note: null,
      cycle,
      slots,
      customers: index.customers,
      categories: index.categories.slice(0, query.limit ?? DEFAULT_SEASON_CATEGORIES).map((c) => ({
        id: ids[c.category],
        name: names.get(ids[c.category]) ?? null,
        index: c.index.map(r6),
        peak: c.index.indexOf(Math.max(...c.index)),
        mean_share: r6(c.mean),
      })),
    }
  }

  /** The report's periods in the asked unit, or the empty context when there is no model. */
  private async window(query: FlowQuery): Promise<Window | FlowContext> {
    if (query.from && query.to && query.from.getTime() >= query.to.getTime()) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "from must be before to.")
    }
    const active = await modelRegistry.getActive(this.activeManager_)
    if (!active) {
      return { model_version_id: null, trained_at: null, period: query.period ?? null, model_period: null, from: null, to: null, note: NO_MODEL }
    }
    const modelUnit = active.model.artifacts.options.period
    const unit = query.period ?? modelUnit
    if (!canRegroup(modelUnit, unit)) {
      const allowed = PERIOD_UNITS.filter((u) => canRegroup(modelUnit, u))
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `The active model keeps ${modelUnit} periods, which cannot be split into ${unit}s: period must be ${allowed.join(" or ")}.`
      )
    }
    const modelLast = regroupedPeriod(active.model.stage.refPeriod, modelUnit, unit)
    const from = query.from ? periodOf(query.from.getTime(), unit) : undefined
    // `to` is exclusive: the last period is the one holding the millisecond before it.
    let last = query.to ? periodOf(query.to.getTime() - 1, unit) : Math.max(modelLast, from ?? modelLast)
    const first = from ?? last - DEFAULT_FLOW_PERIODS + 1
    last = Math.max(last, first)
    if (last - first + 1 > MAX_FLOW_PERIODS) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `The window spans ${last - first + 1} ${unit}s; a report covers at most ${MAX_FLOW_PERIODS} periods.`
      )
    }
    return { active, unit, modelUnit, first, last }
  }

  private sequences(w: Window) {
    return regroupPeriods(
      w.active.model.stage.customers.map((c) => c.periods),
      w.modelUnit,
      w.unit,
      w
    )
  }

  private context(w: Window, note: string | null): FlowContext {
    return {
      model_version_id: w.active.versionId,
      trained_at: w.active.trainedAt.toISOString(),
      period: w.unit,
      model_period: w.modelUnit,
      from: new Date(periodStart(w.first, w.unit)).toISOString(),
      to: new Date(periodStart(w.last + 1, w.unit)).toISOString(),
      note,
    }
  }

  private modelKey(active: ActiveModel): string {
    return `${active.versionId}@${active.revision}`
  }

  private async names(): Promise<Map<string, string>> {
    return await this.activeManager_.withRepository(this.interestNameRepository_).interestNames()
  }
}

export default InterestFlowsService
