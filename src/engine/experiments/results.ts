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
 *
 * An arm is only judged against the control once both have at least
 * `minConverting` converting shoppers (MIN_CONVERTING_SHOPPERS). Below that the
 * intervals are still given, but nothing is called significant: with a handful
 * of orders one more or one fewer moves the uplift by tens of percent, and the
 * normal approximations behind the intervals (of a mean, of a log ratio) are
 * poor. The relative error of a count of k orders is about 1/sqrt(k): 18% at
 * 30, 45% at 5; 30 per arm is the usual floor for a normal approximation of a
 * count, and still far below what a useful experiment needs (docs/experiments.md).
 */
import { ArmShare } from "./assignment"
import { ArmComparison, compareArms, estimateMean, excludesZero, Interval, meanInterval, MeanEstimate, proportionInterval } from "./statistics"
import { srmTest, SrmResult } from "./srm"

/** Converting shoppers each of an arm and the control need before their difference is judged. */
export const MIN_CONVERTING_SHOPPERS = 30

export interface ShopperOutcome {
  arm: string
  /** First exposure, epoch ms. */
  exposedAt: number
  /** Orders placed by the shopper (any time; only those after exposure count), epoch ms and revenue. */
  orders: { at: number; revenue: number }[]
}

export const SHOPPER_METRICS = ["conversion", "revenue_per_shopper", "orders_per_shopper"] as const
export type ShopperMetric = (typeof SHOPPER_METRICS)[number]

/** A comparison with the control, and whether it is a finding. */
export interface JudgedComparison extends ArmComparison {
  /** Judged (enough converting shoppers) and the uplift's interval (the difference's while there is no uplift) excludes 0. */
  significant: boolean
}

export interface ArmResult {
  name: string
  share: number
  shoppers: number
  /** Shoppers with at least one order after their first exposure. */
  converting_shoppers: number
  orders: number
  revenue: number
  /** Each metric's mean over the arm's shoppers with its 95% interval. */
  metrics: Record<ShopperMetric, Interval>
  /** Whether this arm and the control both have `min_converting_shoppers`; null for the control itself. */
  judged: boolean | null
  /** Against the control; null for the control itself. */
  vs_control: Record<ShopperMetric, JudgedComparison> | null
}

export interface ExperimentSummary {
  control: string
  /** The minimum of converting shoppers per arm under which no arm is judged. */
  min_converting_shoppers: number
  arms: ArmResult[]
  srm: SrmResult
}

export interface DailyPoint {
  /** Start of the day (UTC), ISO date. */
  day: string
  /** Cumulative up to the end of that day. */
  arms: { name: string; shoppers: number; conversion: number; revenue_per_shopper: number }[]
  /** Per non-control arm: cumulative uplift of conversion and revenue per shopper, null while undefined. */
  uplift: { name: string; judged: boolean; conversion: Interval | null; revenue_per_shopper: Interval | null }[]
}

/**
 * @param arms - the experiment's arms with their shares
 * @param control - the name of the control arm
 * @param shoppers - every exposed shopper
 * @param until - orders and exposures after this (epoch ms) are left out
 * @param minConverting - converting shoppers an arm and the control each need to be judged
 * @return per-arm metrics, comparisons with the control and the SRM check
 */
export function summariseExperiment(
  arms: ArmShare[],
  control: string,
  shoppers: ShopperOutcome[],
  until = Infinity,
  minConverting = MIN_CONVERTING_SHOPPERS
): ExperimentSummary {
  if (!arms.some((a) => a.name === control)) throw new Error(`The control arm ${control} is not one of the arms.`)
  const values = perArm(arms, shoppers, until)
  const estimates = new Map(arms.map((a) => [a.name, metricEstimates(values.get(a.name) as ArmValues)]))
  const ctrl = estimates.get(control) as Record<ShopperMetric, MeanEstimate>
  const controlConverting = sum((values.get(control) as ArmValues).converted)
  const results: ArmResult[] = arms.map((a) => {
    const v = values.get(a.name) as ArmValues
    const est = estimates.get(a.name) as Record<ShopperMetric, MeanEstimate>
    const converting = sum(v.converted)
    const isControl = a.name === control
    const judged = !isControl && converting >= minConverting && controlConverting >= minConverting
    return {
      name: a.name,
      share: a.share,
      shoppers: v.converted.length,
      converting_shoppers: converting,
      orders: sum(v.orders),
      revenue: sum(v.revenue),
      metrics: mapMetrics((m) => (m === "conversion" ? proportionInterval(est[m]) : meanInterval(est[m]))),
      judged: isControl ? null : judged,
      vs_control: isControl ? null : mapMetrics((m) => judge(compareArms(ctrl[m], est[m]), judged)),
    }
  })
  return {
    control,
    min_converting_shoppers: minConverting,
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
          judged: !!a.judged,
          conversion: a.vs_control?.conversion.uplift ?? null,
          revenue_per_shopper: a.vs_control?.revenue_per_shopper.uplift ?? null,
        })),
    })
  }
  return out
}

function judge(c: ArmComparison, judged: boolean): JudgedComparison {
  return { ...c, significant: judged && excludesZero(c.uplift ?? c.difference) }
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
