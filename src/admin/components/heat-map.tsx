import { Text } from "@medusajs/ui"
import { useWidth } from "./use-width"

export interface HeatCell {
  /** 0..1 */
  value: number
  /** Too little evidence: drawn grey, not coloured by its value. */
  sparse: boolean
  /** Tooltip. */
  title: string
}

interface Props {
  /** Row and column labels (the same list: a square matrix). */
  labels: { key: string; label: string }[]
  /** cells[row][column] */
  cells: HeatCell[][]
  selected?: string | null
  onRowClick?: (key: string) => void
  empty?: string
}

const LEFT = 150
const TOP = 110
const SPARSE_FILL = "#e5e7eb"

const short = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s)

/** Indigo of increasing depth for 0..1. */
const shade = (v: number): string => `rgba(79, 70, 229, ${(0.06 + 0.94 * Math.max(0, Math.min(1, v))).toFixed(3)})`

/**
 * Square heat map in plain SVG: rows and columns share their labels (column
 * labels slanted on top); a row can be clicked. Colour is scaled to the
 * largest value that is not sparse, so one anecdotal cell does not wash out
 * the rest.
 */
export const HeatMap = ({ labels, cells, selected, onRowClick, empty = "Nothing to show yet." }: Props) => {
  const { ref, width: W } = useWidth<HTMLDivElement>(640)
  const k = labels.length
  if (!k) {
    return (
      <div ref={ref}>
        <Text size="small" className="text-ui-fg-subtle">
          {empty}
        </Text>
      </div>
    )
  }
  const size = Math.max(12, Math.min(34, Math.floor((W - LEFT - 8) / k)))
  const height = TOP + k * size + 4
  const max = Math.max(0, ...cells.flat().filter((c) => !c.sparse).map((c) => c.value)) || 1
  return (
    <div ref={ref}>
      <svg width={Math.min(W, LEFT + k * size + 8)} height={height} role="img" aria-label="Transition matrix">
        {labels.map((l, j) => (
          <text
            key={l.key}
            transform={`translate(${LEFT + j * size + size / 2}, ${TOP - 6}) rotate(-45)`}
            fontSize={10}
            fill="currentColor"
            fillOpacity={0.7}
          >
            {short(l.label, 18)}
          </text>
        ))}
        {labels.map((l, i) => (
          <g
            key={l.key}
            role={onRowClick ? "button" : undefined}
            aria-label={`Where customers of ${l.label} go next`}
            className={onRowClick ? "cursor-pointer" : undefined}
            onClick={onRowClick ? () => onRowClick(l.key) : undefined}
          >
            {selected === l.key && <rect x={0} y={TOP + i * size} width={LEFT + k * size} height={size} fill="#6366f1" fillOpacity={0.12} />}
            <text x={LEFT - 8} y={TOP + i * size + size / 2 + 4} textAnchor="end" fontSize={11} fill="currentColor" fontWeight={selected === l.key ? 600 : 400}>
              {short(l.label, 22)}
            </text>
            {cells[i].map((c, j) => (
              <rect
                key={j}
                x={LEFT + j * size + 1}
                y={TOP + i * size + 1}
                width={size - 2}
                height={size - 2}
                rx={2}
                fill={c.sparse ? SPARSE_FILL : shade(c.value / max)}
                data-sparse={c.sparse ? "true" : "false"}
              >
                <title>{c.title}</title>
              </rect>
            ))}
          </g>
        ))}
      </svg>
    </div>
  )
}
