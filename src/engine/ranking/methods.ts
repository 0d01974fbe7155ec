/**
 * The methods compared in evaluation. All rank through the same code path
 * (signals -> blend -> scores); they differ only in their weights.
 * - Single baselines have fixed weights: the signal itself, with popularity
 *   (scaled down 1000x) as a fallback to order what the signal does not know.
 * - best_baseline, model and the ablations are fitted on the validation split.
 */
import { BlendWeights } from "./blend"
import { CATEGORY_SIGNALS, CategorySignal, PRODUCT_SIGNALS, ProductSignal } from "./signals"

export const METHOD_NAMES = [
  "model",
  "without_lstm",
  "without_transfer",
  "best_baseline",
  "popularity",
  "repeat",
  "markov",
  "item_knn",
] as const
export type MethodName = (typeof METHOD_NAMES)[number]

export interface MethodSpec {
  name: MethodName
  /** Fixed weights (single baselines). */
  fixed?: BlendWeights
  /** Signals a fitted method may use. */
  category?: CategorySignal[]
  product?: ProductSignal[]
}

const FALLBACK = 1e-3

/**
 * The shipped model ranks with every signal, including its own that no baseline
 * has: within-session recency (features/recency-features.ts) and the learned
 * ranker (ranking/category-ranker.ts). Each ablation drops what it is named for.
 */
const withoutSignals = <T>(signals: readonly T[], dropped: readonly T[]): T[] =>
  signals.filter((s) => !dropped.includes(s))

export const METHOD_SPECS: MethodSpec[] = [
  { name: "model", category: [...CATEGORY_SIGNALS], product: [...PRODUCT_SIGNALS] },
  {
    name: "without_lstm",
    category: withoutSignals(CATEGORY_SIGNALS, ["lstm"]),
    product: [...PRODUCT_SIGNALS],
  },
  {
    name: "without_transfer",
    // At product level, the signals that carry other customers' behaviour over: segment popularity and newcomer products.
    category: withoutSignals(CATEGORY_SIGNALS, ["transfer"]),
    product: withoutSignals(PRODUCT_SIGNALS, ["segment_popularity", "newcomer"]),
  },
  {
    name: "best_baseline",
    category: ["popularity", "repeat", "markov", "item_knn"],
    product: ["popularity", "repeat_item", "interest", "item_knn"],
  },
  { name: "popularity", fixed: { category: { popularity: 1 }, product: { popularity: 1 } } },
  {
    name: "repeat",
    // The customer's own decayed profile; at product level their own items first,
    // then products popular in their own categories.
    fixed: {
      category: { repeat: 1, popularity: FALLBACK },
      product: { repeat_item: 1, interest: FALLBACK, popularity: FALLBACK * FALLBACK },
    },
  },
  {
    name: "markov",
    fixed: { category: { markov: 1, popularity: FALLBACK }, product: { interest: 1, popularity: FALLBACK } },
  },
  {
    name: "item_knn",
    fixed: { category: { item_knn: 1, popularity: FALLBACK }, product: { item_knn: 1, popularity: FALLBACK } },
  },
]
