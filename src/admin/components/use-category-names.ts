import { useAdminProductCategories } from "medusa-react"
import { useMemo } from "react"

/**
 * Category id -> name. Centroids and profile vectors are keyed by category id;
 * the API names only the top interests, so the rest are named from the
 * catalogue (one cached request shared by every page).
 */
export const useCategoryNames = (): Map<string, string> => {
  const { product_categories } = useAdminProductCategories({ limit: 1000, offset: 0 }, { staleTime: 5 * 60_000 })
  return useMemo(() => new Map((product_categories ?? []).map((c) => [c.id, c.name])), [product_categories])
}
