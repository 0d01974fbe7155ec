/**
 * The methods compared in evaluation. All rank through the same code path
 * (signals -> blend -> scores); they differ only in their weights.
 * - Single baselines have fixed weights: the signal itself, with popularity
 *   (scaled down 1000x) as a fallback to order what the signal does not know.
 * - best_baseline, model and the ablations are fitted on the validation split.
 */
import { BlendWeights } from "./blend"
import { CategorySignal, ProductSignal } from "./signals"

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
 * The model's own category signals, which no baseline has: within-session recency
 * (features/recency-features.ts) and the learned ranker (ranking/category-ranker.ts).
 */
const SESSION_CATEGORY: CategorySignal[] = ["session", "visits", "ranker"]
const SESSION_PRODUCT: ProductSignal[] = ["session_item", "item_visits", "open_intent"]

export const METHOD_SPECS: MethodSpec[] = [
  {
    name: "model",
    category: ["popularity", "repeat", "recent", "markov", "item_knn", "transfer", "lstm", ...SESSION_CATEGORY],
    product: [
      "popularity",
      "repeat_item",
      "interest",
      "item_knn",
      "segment_popularity",
      "repeat_rank",
      "knn_rank",
      "newcomer",
      ...SESSION_PRODUCT,
    ],
  },
  {
    name: "without_lstm",
    category: ["popularity", "repeat", "recent", "markov", "item_knn", "transfer", ...SESSION_CATEGORY],
    product: [
      "popularity",
      "repeat_item",
      "interest",
      "item_knn",
      "segment_popularity",
      "repeat_rank",
      "knn_rank",
      "newcomer",
      ...SESSION_PRODUCT,
    ],
  },
  {
    name: "without_transfer",
    category: ["popularity", "repeat", "recent", "markov", "item_knn", "lstm", ...SESSION_CATEGORY],
    product: ["popularity", "repeat_item", "interest", "item_knn", "repeat_rank", "knn_rank", ...SESSION_PRODUCT],
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
