/**
 * An experiment's outcome per arm from its exposed shoppers. A shopper is
 * counted in the arm of their first exposure (intent to treat: what they saw
 * afterwards, or whether they clicked, does not move them), and every order
 * they placed after that exposure counts, clicked on or not: that is what the
 * placement changed, if anything.
 *   conversion          = shoppers with at least one such order / shoppers
 *   revenue_per_shopper = revenue of those orders / shoppers
 *   orders_per_shopper  = those orders / shoppers
 * Each is compared with the control arm (statistics.ts) and the split is
 * checked against the shares (srm.ts).
 */
import { ArmShare } from "./assignment"
import { ArmComparison, compareArms, estimateMean, Interval, meanInterval, MeanEstimate } from "./statistics"
import { srmTest, SrmResult } from "./srm"

export interface ShopperOutcome {
  arm: string
  /** First exposure, epoch ms. */
  exposedAt: number
  /** Orders placed by the shopper (any time; only those after exposure count), epoch ms and revenue. */
  orders: { at: number; revenue: number }[]
}

export const SHOPPER_METRICS = ["conversion", "revenue_per_shopper", "orders_per_shopper"] as const
export type ShopperMetric = (typeof SHOPPER_METRICS)[number]

export interface ArmResult {
  name: string
  share: number
  shoppers: number
  orders: number
  revenue: number
  /** Each metric's mean over the arm's shoppers with its 95% interval. */
  metrics: Record<ShopperMetric, Interval>
  /** Against the control; null for the control itself. */
  vs_control: Record<ShopperMetric, ArmComparison> | null
}

export interface ExperimentSummary {
  control: string
  arms: ArmResult[]
  srm: SrmResult
}

export interface DailyPoint {
  /** Start of the day (UTC), ISO date. */
  day: string
  /** Cumulative up to the end of that day. */
  arms: { name: string; shoppers: number; conversion: number; revenue_per_shopper: number }[]
  /** Per non-control arm: cumulative uplift of conversion and revenue per shopper, null while undefined. */
  uplift: { name: string; conversion: Interval | null; revenue_per_shopper: Interval | null }[]
}

/**
 * @param arms - the experiment's arms with their shares
 * @param control - the name of the control arm
 * @param shoppers - every exposed shopper
 * @param until - orders and exposures after this (epoch ms) are left out
 * @return per-arm metrics, comparisons with the control and the SRM check
 */
export function summariseExperiment(arms: ArmShare[], control: string, shoppers: ShopperOutcome[], until = Infinity): ExperimentSummary {
  if (!arms.some((a) => a.name === control)) throw new Error(`The control arm ${control} is not one of the arms.`)
  const values = perArm(arms, shoppers, until)
  const estimates = new Map(arms.map((a) => [a.name, metricEstimates(values.get(a.name) as ArmValues)]))
  const ctrl = estimates.get(control) as Record<ShopperMetric, MeanEstimate>
  const results: ArmResult[] = arms.map((a) => {
    const v = values.get(a.name) as ArmValues
    const est = estimates.get(a.name) as Record<ShopperMetric, MeanEstimate>
    return {
      name: a.name,
      share: a.share,
      shoppers: v.converted.length,
      orders: sum(v.orders),
      revenue: sum(v.revenue),
      metrics: mapMetrics((m) => meanInterval(est[m])),
      vs_control: a.name === control ? null : mapMetrics((m) => compareArms(ctrl[m], est[m])),
    }
  })
  return {
    control,
    arms: results,
    srm: srmTest(
      results.map((r) => r.shoppers),
      arms.map((a) => a.share)
    ),
  }
}

/**
 * The cumulative results at the end of each day from `from` to `to` (UTC days),
 * for the uplift-over-time chart.
 */
export function dailySeries(arms: ArmShare[], control: string, shoppers: ShopperOutcome[], from: number, to: number): DailyPoint[] {
  const DAY = 86_400_000
  const out: DailyPoint[] = []
  for (let start = Math.floor(from / DAY) * DAY; start < to; start += DAY) {
    const end = Math.min(start + DAY, to)
    const summary = summariseExperiment(arms, control, shoppers.filter((s) => s.exposedAt < end), end - 1)
    out.push({
      day: new Date(start).toISOString().slice(0, 10),
      arms: summary.arms.map((a) => ({
        name: a.name,
        shoppers: a.shoppers,
        conversion: a.metrics.conversion.estimate,
        revenue_per_shopper: a.metrics.revenue_per_shopper.estimate,
      })),
      uplift: summary.arms
        .filter((a) => a.vs_control)
        .map((a) => ({
          name: a.name,
          conversion: a.vs_control?.conversion.uplift ?? null,
          revenue_per_shopper: a.vs_control?.revenue_per_shopper.uplift ?? null,
        })),
    })
  }
  return out
}

type ArmValues = { converted: number[]; revenue: number[]; orders: number[] }

function perArm(arms: ArmShare[], shoppers: ShopperOutcome[], until: number): Map<string, ArmValues> {
  const out = new Map<string, ArmValues>(arms.map((a) => [a.name, { converted: [], revenue: [], orders: [] }]))
  for (const s of shoppers) {
    const v = out.get(s.arm)
    // A shopper of an arm no longer configured is not silently moved to another.
    if (!v || s.exposedAt > until) continue
    let orders = 0
    let revenue = 0
    for (const o of s.orders) {
      if (o.at < s.exposedAt || o.at > until) continue
      orders++
      revenue += o.revenue
    }
    v.converted.push(orders > 0 ? 1 : 0)
    v.revenue.push(revenue)
    v.orders.push(orders)
  }
  return out
}

function metricEstimates(v: ArmValues): Record<ShopperMetric, MeanEstimate> {
  return { conversion: estimateMean(v.converted), revenue_per_shopper: estimateMean(v.revenue), orders_per_shopper: estimateMean(v.orders) }
}

function mapMetrics<T>(f: (m: ShopperMetric) => T): Record<ShopperMetric, T> {
  return { conversion: f("conversion"), revenue_per_shopper: f("revenue_per_shopper"), orders_per_shopper: f("orders_per_shopper") }
}

function sum(xs: number[]): number {
  let s = 0
  for (const x of xs) s += x
  return s
}
