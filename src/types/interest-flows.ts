// Type-only: the admin extensions (src/admin) import it too, so it must hold no runtime code.
// The answers of GET /admin/interest/interests and /admin/interest/transitions (docs/api.md).

export type FlowPeriod = "day" | "week" | "month"

/** What every flow report says about where it comes from. */
export interface FlowContext {
  model_version_id: string | null
  trained_at: string | null
  period: FlowPeriod | null
  /** The unit the model keeps its periods in; a report can only be as fine. */
  model_period: FlowPeriod | null
  /** Start of the first period of the report (inclusive). */
  from: string | null
  /** Start of the period after the last one (exclusive). */
  to: string | null
  /** Why the report is empty, when it is. */
  note: string | null
}

export interface NamedCategory {
  id: string
  name: string | null
}

export interface InterestSharesReport extends FlowContext {
  periods: { start: string; customers: number }[]
  categories: (NamedCategory & { shares: number[]; mean_share: number; change: number; trend: "rising" | "falling" | "steady" })[]
  /** Share of all other categories together, per period: with `categories`, 1 in a period with customers. */
  other: number[]
  trend_min_change: number
}

export interface TransitionsReport extends FlowContext {
  categories: NamedCategory[]
  rows: {
    id: string
    customers: number
    transitions: number
    sparse: boolean
    other: number
    cells: { probability: number; customers: number; transitions: number; sparse: boolean }[]
  }[]
  min_customers: number
}

/** GET /admin/interest/seasons: each top category's seasonal index over the model's span. */
export interface SeasonsReport extends Omit<FlowContext, "period"> {
  /** "month": months of the year (January first); "weekday": days of the week (Monday first). */
  cycle: "month" | "weekday"
  /** Days the model's history spans in the window (null without a model). */
  span_days: number | null
  /** One label per slot of the cycle. */
  slots: string[]
  /** Customers active per slot, summed over the periods in it. */
  customers: number[]
  /** Most interest first; `index` per slot, 1 = the category's usual share of interest. */
  categories: (NamedCategory & { index: number[]; peak: number; mean_share: number })[]
}
