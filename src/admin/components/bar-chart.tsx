import { Text } from "@medusajs/ui"
import { colorAt } from "./palette"

export interface BarRow {
  key: string
  label: string
  /** One value per series. */
  values: number[]
  /** Small text under the label (e.g. the segment's top interests). */
  hint?: string
  /** Highlights a row (e.g. the active model's method). */
  strong?: boolean
}

interface Props {
  rows: BarRow[]
  /** Series names, for the legend; one bar per series in each row. */
  series: string[]
  format?: (value: number) => string
  /** Upper end of the scale; defaults to the largest value. */
  max?: number
  onRowClick?: (key: string) => void
  empty?: string
}

/**
 * Horizontal bar chart drawn with plain divs (the admin ships no chart
 * library): one row per item, one bar per series, scaled to the largest value.
 */
export const BarChart = ({ rows, series, format = (v) => String(v), max, onRowClick, empty = "Nothing to show yet." }: Props) => {
  if (!rows.length) {
    return (
      <Text size="small" className="text-ui-fg-subtle">
        {empty}
      </Text>
    )
  }
  const top = max ?? Math.max(...rows.flatMap((r) => r.values), 0)
  const width = (v: number): string => `${top > 0 ? Math.max(0, Math.min(100, (v / top) * 100)) : 0}%`
  return (
    <div className="flex flex-col gap-y-3">
      {series.length > 1 && (
        <div className="flex flex-wrap gap-x-4 gap-y-1">
          {series.map((s, i) => (
            <span key={s} className="flex items-center gap-x-1.5">
              <span className="inline-block h-2.5 w-2.5 rounded-sm" style={{ background: colorAt(i) }} />
              <Text size="xsmall" className="text-ui-fg-subtle">
                {s}
              </Text>
            </span>
          ))}
        </div>
      )}
      {rows.map((row) => (
        <div
          key={row.key}
          className={`grid grid-cols-[minmax(6rem,min(16rem,40%))_1fr] items-center gap-x-4 ${onRowClick ? "cursor-pointer hover:bg-ui-bg-base-hover rounded-md" : ""}`}
          onClick={onRowClick ? () => onRowClick(row.key) : undefined}
        >
          <div className="min-w-0">
            <Text size="small" weight={row.strong ? "plus" : "regular"} className="truncate" title={row.label}>
              {row.label}
            </Text>
            {row.hint && (
              <Text size="xsmall" className="text-ui-fg-subtle truncate" title={row.hint}>
                {row.hint}
              </Text>
            )}
          </div>
          <div className="flex flex-col gap-y-1">
            {row.values.map((v, i) => (
              <div key={i} className="flex items-center gap-x-2">
                <div className="bg-ui-bg-subtle h-3 flex-1 overflow-hidden rounded-sm">
                  <div className="h-full rounded-sm" style={{ width: width(v), background: colorAt(i) }} />
                </div>
                <Text size="xsmall" className="text-ui-fg-subtle w-14 shrink-0 text-right tabular-nums">
                  {format(v)}
                </Text>
              </div>
            ))}
          </div>
        </div>
      ))}
    </div>
  )
}
