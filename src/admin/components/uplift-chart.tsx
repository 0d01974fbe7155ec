import { Text } from "@medusajs/ui"
import { colorAt } from "./palette"
import { useWidth } from "./use-width"

export interface UpliftPoint {
  label: string
  /** Relative uplift and its 95% interval; null while there are too few orders to judge it. */
  value: { estimate: number; low: number; high: number } | null
}

const PAD = { top: 10, right: 12, bottom: 24, left: 48 }

/**
 * The cumulative uplift of one arm over the control by day, with its 95%
 * interval as a band and a line at 0: the band narrows as shoppers come in,
 * and the uplift is measured once it stays on one side of 0.
 */
export const UpliftChart = ({ points, height = 200, color = 0 }: { points: UpliftPoint[]; height?: number; color?: number }) => {
  const { ref, width: W } = useWidth<HTMLDivElement>(640)
  const known = points.filter((p) => p.value)
  if (!known.length) {
    return (
      <div ref={ref}>
        <Text size="small" className="text-ui-fg-subtle">
          No uplift yet: too few orders to judge so far.
        </Text>
      </div>
    )
  }
  const lo = Math.min(0, ...known.map((p) => (p.value as NonNullable<UpliftPoint["value"]>).low))
  const hi = Math.max(0, ...known.map((p) => (p.value as NonNullable<UpliftPoint["value"]>).high))
  const span = hi - lo || 1
  const plotW = W - PAD.left - PAD.right
  const plotH = height - PAD.top - PAD.bottom
  const x = (i: number): number => PAD.left + (points.length > 1 ? (i / (points.length - 1)) * plotW : plotW / 2)
  const y = (v: number): number => PAD.top + (1 - (v - lo) / span) * plotH
  const idx = points.map((p, i) => (p.value ? i : -1)).filter((i) => i >= 0)
  const band =
    idx.map((i) => `${x(i)},${y((points[i].value as NonNullable<UpliftPoint["value"]>).high)}`).join(" ") +
    " " +
    [...idx].reverse().map((i) => `${x(i)},${y((points[i].value as NonNullable<UpliftPoint["value"]>).low)}`).join(" ")
  const line = idx.map((i) => `${x(i)},${y((points[i].value as NonNullable<UpliftPoint["value"]>).estimate)}`).join(" ")
  const c = colorAt(color)
  const pct = (v: number): string => `${(v * 100).toFixed(0)}%`
  return (
    <div ref={ref}>
      <svg width={W} height={height} role="img" aria-label="Uplift over time">
        <polygon points={band} fill={c} opacity={0.15} />
        <line x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} stroke="currentColor" strokeDasharray="4 3" opacity={0.5} />
        <polyline points={line} fill="none" stroke={c} strokeWidth={2} />
        {idx.map((i) => (
          <circle key={i} cx={x(i)} cy={y((points[i].value as NonNullable<UpliftPoint["value"]>).estimate)} r={3} fill={c} />
        ))}
        {[lo, 0, hi].map((v) => (
          <text key={v} x={PAD.left - 6} y={y(v) + 4} textAnchor="end" fontSize={11} fill="currentColor" opacity={0.7}>
            {pct(v)}
          </text>
        ))}
        {points.map((p, i) =>
          i === 0 || i === points.length - 1 || points.length <= 8 ? (
            <text key={p.label} x={x(i)} y={height - 6} textAnchor="middle" fontSize={11} fill="currentColor" opacity={0.7}>
              {p.label}
            </text>
          ) : null
        )}
      </svg>
    </div>
  )
}
