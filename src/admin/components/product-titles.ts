import { useAdminProducts } from "medusa-react"
import { useMemo } from "react"

/** Product id -> { title, thumbnail } for a short list of ids (one admin request). */
export const useProductTitles = (ids: string[]): Map<string, { title: string; thumbnail: string | null }> => {
  const unique = Array.from(new Set(ids)).sort()
  const { products } = useAdminProducts(
    { id: unique, limit: Math.max(1, unique.length), fields: "id,title,thumbnail" },
    { enabled: unique.length > 0, keepPreviousData: true }
  )
  return useMemo(
    () => new Map((products ?? []).filter((p) => p.id).map((p) => [p.id as string, { title: p.title ?? p.id ?? "", thumbnail: p.thumbnail ?? null }])),
    [products]
  )
}
