import { Text } from "@medusajs/ui"
import { colorAt } from "./palette"
import { useWidth } from "./use-width"

export interface LineSeries {
  name: string
  /** One value per x label; null leaves a gap. */
  values: (number | null)[]
}

interface Props {
  xLabels: string[]
  /** Where each label sits on a linear scale (e.g. timestamps), so uneven gaps show; default evenly spaced. */
  xPositions?: number[]
  series: LineSeries[]
  format?: (value: number) => string
  height?: number
  empty?: string
}

const PAD = { top: 10, right: 12, bottom: 24, left: 44 }

/**
 * Multi-series line chart in plain SVG (no chart library in the admin), drawn
 * at its container's width; y runs from 0 to the maximum.
 */
export const LineChart = ({ xLabels, xPositions, series, format = (v) => v.toFixed(2), height = 200, empty = "Nothing to show yet." }: Props) => {
  const { ref, width: W } = useWidth<HTMLDivElement>(640)
  const values = series.flatMap((s) => s.values.filter((v): v is number => v !== null))
  if (!xLabels.length || !values.length) {
    return (
      <div ref={ref}>
        <Text size="small" className="text-ui-fg-subtle">
          {empty}
        </Text>
      </div>
    )
  }
  const max = Math.max(...values) || 1
  const plotW = W - PAD.left - PAD.right
  const plotH = height - PAD.top - PAD.bottom
  const pos = xPositions && xPositions.length === xLabels.length ? xPositions : xLabels.map((_, i) => i)
  const [lo, hi] = [Math.min(...pos), Math.max(...pos)]
  const x = (i: number): number => PAD.left + (hi === lo ? plotW / 2 : ((pos[i] - lo) / (hi - lo)) * plotW)
  const y = (v: number): number => PAD.top + plotH - (v / max) * plotH
  // Label a position only when it is ~80 px from the last labelled one (and
  // always the last), so labels never overlap however the points are spaced.
  const labelled = new Set<number>()
  let lastX = -Infinity
  xLabels.forEach((_, i) => {
    const isLast = i === xLabels.length - 1
    if (x(i) - lastX >= 80 || (isLast && x(i) - lastX >= 40)) {
      labelled.add(i)
      lastX = x(i)
    }
  })
  const ticks = [0, 0.5, 1].map((f) => f * max)

  // Split each series at nulls so a gap is not drawn as a line.
  const paths = (s: LineSeries): string[] => {
    const out: string[] = []
    let current = ""
    s.values.forEach((v, i) => {
      if (v === null) {
        if (current) out.push(current)
        current = ""
        return
      }
      current += `${current ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`
    })
    if (current) out.push(current)
    return out
  }

  return (
    <div ref={ref} className="flex flex-col gap-y-2">
      <svg width={W} height={height} viewBox={`0 0 ${W} ${height}`} role="img" aria-label={series.map((s) => s.name).join(", ")}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} stroke="currentColor" strokeOpacity={0.12} />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" fontSize={10} fill="currentColor" fillOpacity={0.6}>
              {format(t)}
            </text>
          </g>
        ))}
        {xLabels.map((label, i) =>
          labelled.has(i) ? (
            <text
              key={i}
              x={x(i)}
              y={height - 6}
              // Edge labels grow inwards so they are not cut off.
              textAnchor={xLabels.length > 1 && i === 0 ? "start" : xLabels.length > 1 && i === xLabels.length - 1 ? "end" : "middle"}
              fontSize={10} fill="currentColor" fillOpacity={0.6}>
              {label}
            </text>
          ) : null
        )}
        {series.map((s, si) => (
          <g key={s.name}>
            {paths(s).map((d, pi) => (
              // Every other series dashed, so lines that coincide stay distinguishable.
              <path key={pi} d={d} fill="none" stroke={colorAt(si)} strokeWidth={2} strokeLinejoin="round" strokeDasharray={si % 2 ? "6 4" : undefined} />
            ))}
            {s.values.map((v, i) =>
              v === null ? null : (
                <circle key={i} cx={x(i)} cy={y(v)} r={2.5} fill={colorAt(si)}>
                  <title>{`${s.name}, ${xLabels[i]}: ${format(v)}`}</title>
                </circle>
              )
            )}
          </g>
        ))}
      </svg>
      <div className="flex flex-wrap gap-x-4 gap-y-1">
        {series.map((s, i) => (
          <span key={s.name} className="flex items-center gap-x-1.5">
            <span className="inline-block h-2.5 w-2.5 rounded-sm" style={{ background: colorAt(i) }} />
            <Text size="xsmall" className="text-ui-fg-subtle">
              {s.name}
            </Text>
          </span>
        ))}
      </div>
    </div>
  )
}
