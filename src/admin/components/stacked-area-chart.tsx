import { Text } from "@medusajs/ui"
import { colorAt } from "./palette"
import { useWidth } from "./use-width"

export interface AreaSeries {
  name: string
  /** Share per x label, 0..1; the series stack to at most 1. */
  values: number[]
  /** Drawn as ▲ / ▼ beside the band and in the legend. */
  mark?: "rising" | "falling"
}

interface Props {
  xLabels: string[]
  series: AreaSeries[]
  /** What the series leave of 1 (e.g. "Other"), drawn in grey on top. */
  rest?: AreaSeries
  height?: number
  empty?: string
}

const PAD = { top: 10, right: 28, bottom: 24, left: 40 }
/** Room for one date label ("2024-03-04" at 10 px), edge labels included. */
const LABEL_GAP = 90
const REST_COLOR = "#9ca3af"
const MARK = { rising: { glyph: "▲", color: "#059669" }, falling: { glyph: "▼", color: "#dc2626" } } as const

/**
 * Stacked area chart of shares in plain SVG (no chart library in the admin):
 * the first series at the bottom, y from 0 to 100%.
 */
export const StackedAreaChart = ({ xLabels, series, rest, height = 260, empty = "Nothing to show yet." }: Props) => {
  const { ref, width: W } = useWidth<HTMLDivElement>(640)
  if (!xLabels.length || !series.length) {
    return (
      <div ref={ref}>
        <Text size="small" className="text-ui-fg-subtle">
          {empty}
        </Text>
      </div>
    )
  }
  const plotW = W - PAD.left - PAD.right
  const plotH = height - PAD.top - PAD.bottom
  const n = xLabels.length
  const x = (i: number): number => PAD.left + (n === 1 ? plotW / 2 : (i / (n - 1)) * plotW)
  const y = (v: number): number => PAD.top + plotH - Math.max(0, Math.min(1, v)) * plotH
  const layers = rest ? [...series, rest] : series
  // Cumulative bottoms and tops of each layer.
  const bottoms: number[][] = []
  const running = new Array<number>(n).fill(0)
  for (const s of layers) {
    bottoms.push([...running])
    s.values.forEach((v, i) => (running[i] += v))
  }
  // A single period is drawn as a column a few pixels wide.
  const points = n === 1 ? [{ px: x(0) - 6, i: 0 }, { px: x(0) + 6, i: 0 }] : xLabels.map((_, i) => ({ px: x(i), i }))
  const band = (li: number): string => {
    const lo = bottoms[li]
    const top = points.map(({ px, i }) => `${px.toFixed(1)},${y(lo[i] + layers[li].values[i]).toFixed(1)}`)
    const bottom = [...points].reverse().map(({ px, i }) => `${px.toFixed(1)},${y(lo[i]).toFixed(1)}`)
    return `M${top.join("L")}L${bottom.join("L")}Z`
  }
  const color = (li: number): string => (rest && li === layers.length - 1 ? REST_COLOR : colorAt(li))
  // Every step-th label, LABEL_GAP px apart at least, and always the last one
  // (in place of the one before it when those two would touch).
  const step = n === 1 ? 1 : Math.max(1, Math.ceil(LABEL_GAP / (plotW / (n - 1))))
  const labelled = new Set(xLabels.map((_, i) => i).filter((i) => i % step === 0))
  const lastLabelled = Math.floor((n - 1) / step) * step
  if (lastLabelled !== n - 1) {
    if (x(n - 1) - x(lastLabelled) < LABEL_GAP) labelled.delete(lastLabelled)
    labelled.add(n - 1)
  }
  return (
    <div ref={ref} className="flex flex-col gap-y-2">
      <svg width={W} height={height} viewBox={`0 0 ${W} ${height}`} role="img" aria-label={`Share of interest: ${series.map((s) => s.name).join(", ")}`}>
        {[0, 0.5, 1].map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={PAD.left + plotW} y1={y(t)} y2={y(t)} stroke="currentColor" strokeOpacity={0.12} />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" fontSize={10} fill="currentColor" fillOpacity={0.6}>
              {`${t * 100}%`}
            </text>
          </g>
        ))}
        {layers.map((s, li) => (
          <path key={s.name} d={band(li)} fill={color(li)} fillOpacity={0.75} stroke={color(li)} strokeWidth={1}>
            <title>{`${s.name}: ${s.values.map((v, i) => `${xLabels[i]} ${(v * 100).toFixed(1)}%`).join(", ")}`}</title>
          </path>
        ))}
        {layers.map((s, li) => {
          if (!s.mark) return null
          const mid = bottoms[li][n - 1] + s.values[n - 1] / 2
          return (
            <text key={s.name} x={x(n - 1) + 6} y={y(mid) + 4} fontSize={11} fill={MARK[s.mark].color}>
              {MARK[s.mark].glyph}
            </text>
          )
        })}
        {xLabels.map((label, i) =>
          labelled.has(i) ? (
            <text key={i} x={x(i)} y={height - 6} textAnchor={n > 1 && i === 0 ? "start" : n > 1 && i === n - 1 ? "end" : "middle"} fontSize={10} fill="currentColor" fillOpacity={0.6}>
              {label}
            </text>
          ) : null
        )}
      </svg>
      <div className="flex flex-wrap gap-x-4 gap-y-1">
        {layers.map((s, li) => (
          <span key={s.name} className="flex items-center gap-x-1.5">
            <span className="inline-block h-2.5 w-2.5 rounded-sm" style={{ background: color(li) }} />
            <Text size="xsmall" className="text-ui-fg-subtle">
              {s.name}
            </Text>
            {s.mark && (
              <span className="text-xs" style={{ color: MARK[s.mark].color }} title={s.mark}>
                {MARK[s.mark].glyph}
              </span>
            )}
          </span>
        ))}
      </div>
    </div>
  )
}
