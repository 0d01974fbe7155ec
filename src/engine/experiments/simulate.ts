/**
 * A seeded simulation of one experiment over shoppers, to check that the
 * statistics are honest (bench/experiments.ts and this folder's tests).
 *
 * The model, per visitor i of an experiment with a control and a model arm:
 *   - arm: assignArm(experiment id, visitor id, shares), the plugin's own assignment;
 *   - propensity: p_i = baseConversion * g_i with g_i ~ Gamma(shape 2, scale 1/2)
 *     (mean 1): some shoppers are far likelier to buy than others, which is
 *     what makes per-shopper outcomes noisy;
 *   - visits: 1 + Geometric(mean meanVisits - 1) lists seen, with the first
 *     exposure at a uniform time in the experiment's days (impressions are
 *     many per shopper; the analysis still counts the shopper once);
 *   - the model arm multiplies p_i by (1 + trueUplift), the control does not;
 *   - a converting shopper places 1 + Poisson(extraOrders) orders, each worth
 *     LogNormal(ln(meanOrderValue) - sigma^2/2, sigma) (mean meanOrderValue).
 * The true relative uplift of conversion and of revenue per shopper is then
 * exactly trueUplift (p_i (1 + trueUplift) stays below 1 for any realistic
 * draw), which is what the interval has to cover.
 */
import { SeededRandom } from "../util/random"
import { getDefinedOptions } from "../util/options"
import { assignArm } from "./assignment"
import { summariseExperiment, ShopperOutcome, ExperimentSummary } from "./results"

export interface SimulationOptions {
  seed: number
  /** Visitors exposed over the experiment. @defaultValue 6000 */
  visitors: number
  /** The model arm's share (the control gets the rest). @defaultValue 0.5 */
  modelShare: number
  /** Mean conversion of a shopper in the control. @defaultValue 0.05 */
  baseConversion: number
  /** Relative rise of each shopper's purchase probability in the model arm (0 for an A/A test). @defaultValue 0 */
  trueUplift: number
  /** Mean lists seen per shopper. @defaultValue 3 */
  meanVisits: number
  /** Mean extra orders of a converting shopper. @defaultValue 0.3 */
  extraOrders: number
  /** @defaultValue 60 */
  meanOrderValue: number
  /** Spread of order values (log scale). @defaultValue 0.8 */
  orderValueSigma: number
  /** @defaultValue 14 */
  days: number
}

const DEFAULTS: Omit<SimulationOptions, "seed"> = {
  visitors: 6000,
  modelShare: 0.5,
  baseConversion: 0.05,
  trueUplift: 0,
  meanVisits: 3,
  extraOrders: 0.3,
  meanOrderValue: 60,
  orderValueSigma: 0.8,
  days: 14,
}

export interface SimulatedExperiment {
  shoppers: ShopperOutcome[]
  impressions: number
  summary: ExperimentSummary
}

const DAY = 86_400_000
const START = Date.UTC(2025, 0, 1)

/** Simulates one experiment (control "control", treatment "model") and analyses it. */
export function simulateExperiment(options: Partial<SimulationOptions> & { seed: number }): SimulatedExperiment {
  const o = getDefinedOptions({ ...DEFAULTS, seed: options.seed }, options)
  const rng = new SeededRandom(o.seed)
  const arms = [
    { name: "model", share: o.modelShare },
    { name: "control", share: 1 - o.modelShare },
  ]
  const experimentId = `sim_${o.seed}`
  const shoppers: ShopperOutcome[] = []
  let impressions = 0
  for (let i = 0; i < o.visitors; i++) {
    const arm = assignArm(experimentId, `visitor_${o.seed}_${i}`, arms)
    const exposedAt = START + Math.floor(rng.next() * o.days * DAY)
    impressions += 1 + geometric(rng, o.meanVisits - 1)
    const g = (-Math.log(1 - rng.next()) - Math.log(1 - rng.next())) / 2
    const p = Math.min(1, o.baseConversion * g * (arm === "model" ? 1 + o.trueUplift : 1))
    const orders: ShopperOutcome["orders"] = []
    if (rng.next() < p) {
      const count = 1 + poisson(rng, o.extraOrders)
      const mu = Math.log(o.meanOrderValue) - (o.orderValueSigma * o.orderValueSigma) / 2
      for (let k = 0; k < count; k++) {
        orders.push({ at: exposedAt + Math.floor(rng.next() * 3 * DAY), revenue: Math.exp(mu + o.orderValueSigma * normal(rng)) })
      }
    }
    shoppers.push({ arm, exposedAt, orders })
  }
  return { shoppers, impressions, summary: summariseExperiment(arms, "control", shoppers) }
}

export interface SimulationRates {
  runs: number
  /** A/A: share of runs whose conversion uplift is flagged significant (judged, its 95% interval excluding 0). */
  false_positive_rate: number
  /** Known uplift: share of runs whose 95% interval of the conversion uplift covers the true value. */
  coverage: number
  true_uplift: number
}

/**
 * Runs `runs` A/A experiments and `runs` experiments with a known uplift,
 * seeds firstSeed.. and firstSeed + runs - 1 (the uplift runs offset by runs).
 */
export function simulationRates(runs: number, trueUplift: number, options: Partial<Omit<SimulationOptions, "seed" | "trueUplift">> = {}, firstSeed = 1): SimulationRates {
  let falsePositives = 0
  let covered = 0
  for (let r = 0; r < runs; r++) {
    const aa = modelConversion(simulateExperiment({ ...options, seed: firstSeed + r, trueUplift: 0 }).summary)
    if (aa?.significant) falsePositives++
    const ab = modelConversion(simulateExperiment({ ...options, seed: firstSeed + runs + r, trueUplift }).summary)?.uplift
    if (ab && ab.low <= trueUplift && trueUplift <= ab.high) covered++
  }
  return { runs, false_positive_rate: falsePositives / runs, coverage: covered / runs, true_uplift: trueUplift }
}

function modelConversion(summary: ExperimentSummary) {
  return summary.arms.find((a) => a.name === "model")?.vs_control?.conversion ?? null
}

function geometric(rng: SeededRandom, mean: number): number {
  if (mean <= 0) return 0
  const q = mean / (1 + mean)
  let k = 0
  while (rng.next() < q) k++
  return k
}

function poisson(rng: SeededRandom, lambda: number): number {
  const limit = Math.exp(-lambda)
  let k = 0
  let p = rng.next()
  while (p > limit) {
    k++
    p *= rng.next()
  }
  return k
}

function normal(rng: SeededRandom): number {
  const u = 1 - rng.next()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next())
}
