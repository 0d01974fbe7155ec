import { colorAt } from "./palette"
import { int, num } from "./format"

interface Props {
  name: string
  /** Run labels, oldest first. */
  runs: string[]
  /** Customers per run; null where the segment did not exist. */
  sizes: (number | null)[]
  /** Centroid shift to the run before; null where absent or new. */
  shifts: (number | null)[]
  width?: number
  /** Slots drawn, so a segment with few runs keeps slim bars at the right (the latest). @defaultValue 10 */
  slots?: number
}

const H = 56
const MID = 34

/**
 * One segment's last runs in a small SVG: its size as bars above the line and
 * its centroid shift as bars below (a shift of 0.5 fills the lower band: more
 * means the segment now stands for other interests).
 */
export const DriftSpark = ({ name, runs, sizes, shifts, width = 200, slots = 10 }: Props) => {
  const n = Math.max(1, runs.length, slots)
  const step = width / n
  const first = n - runs.length
  const bar = Math.max(2, step - 3)
  const maxSize = Math.max(1, ...sizes.map((s) => s ?? 0))
  return (
    <svg width={width} height={H} role="img" aria-label={`Drift of ${name}`}>
      <line x1={0} x2={width} y1={MID + 0.5} y2={MID + 0.5} stroke="currentColor" strokeOpacity={0.2} />
      {runs.map((run, i) => {
        const size = sizes[i]
        const shift = shifts[i]
        const x = (first + i) * step + (step - bar) / 2
        const up = size === null ? 0 : Math.max(1, (size / maxSize) * (MID - 2))
        const down = shift === null ? 0 : Math.max(1, Math.min(1, shift / 0.5) * (H - MID - 2))
        return (
          <g key={i}>
            <title>{`${run}: ${size === null ? "no segment" : `${int(size)} customers`}, centroid shift ${shift === null ? (size === null ? "–" : "new") : num(shift, 3)}`}</title>
            {size !== null && <rect data-kind="size" x={x} y={MID - up} width={bar} height={up} rx={1} fill={colorAt(0)} />}
            {shift !== null && <rect data-kind="shift" x={x} y={MID + 1} width={bar} height={down} rx={1} fill={colorAt(2)} />}
            {/* Transparent hit area, so the tooltip shows for empty runs too. */}
            <rect x={(first + i) * step} y={0} width={step} height={H} fill="transparent" />
          </g>
        )
      })}
    </svg>
  )
}
