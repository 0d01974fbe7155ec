import { Table } from "@medusajs/ui"

/**
 * Previous/next pagination under a table listing `count` rows `pageSize` at a
 * time; `page` is zero-based and `setPage` is its React state setter.
 */
export const PagePagination = ({
  count,
  pageSize,
  page,
  setPage,
}: {
  count: number
  pageSize: number
  page: number
  setPage: (update: (page: number) => number) => void
}) => {
  const pageCount = Math.max(1, Math.ceil(count / pageSize))
  return (
    <Table.Pagination
      count={count}
      pageSize={pageSize}
      pageIndex={page}
      pageCount={pageCount}
      canPreviousPage={page > 0}
      canNextPage={page + 1 < pageCount}
      previousPage={() => setPage((p) => Math.max(0, p - 1))}
      nextPage={() => setPage((p) => p + 1)}
    />
  )
}
