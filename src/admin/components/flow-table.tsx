import { Table, Text } from "@medusajs/ui"
import { int } from "./format"

export interface FlowSide {
  key: string
  label: string
}

interface Props {
  /** Rows: where customers were (segments of the earlier run, then "new"). */
  sources: FlowSide[]
  /** Columns: where they are now (segments of the later run, then "gone"). */
  targets: FlowSide[]
  /** Customers per (source key, target key); absent pairs are 0. */
  counts: Map<string, number>
  label: string
  empty?: string
}

export const flowKey = (from: string, to: string): string => `${from}\u0000${to}`

/** Indigo of increasing depth for a cell's share of its row. */
const shade = (v: number): string => `rgba(79, 70, 229, ${(0.08 + 0.5 * Math.max(0, Math.min(1, v))).toFixed(3)})`

/**
 * Customers from each row to each column, each cell shaded by its share of the
 * row, the "stayed" diagonal in bold: a row reads "where did this segment's
 * customers go", a column "where did this segment's customers come from".
 */
export const FlowTable = ({ sources, targets, counts, label, empty = "Nothing to show yet." }: Props) => {
  if (!sources.length || !targets.length) {
    return (
      <Text size="small" className="text-ui-fg-subtle">
        {empty}
      </Text>
    )
  }
  const at = (from: string, to: string): number => counts.get(flowKey(from, to)) ?? 0
  const rowTotal = (from: string): number => targets.reduce((n, t) => n + at(from, t.key), 0)
  const colTotal = (to: string): number => sources.reduce((n, s) => n + at(s.key, to), 0)
  return (
    <div className="overflow-x-auto">
      <Table aria-label={label}>
        <Table.Header>
          <Table.Row>
            <Table.HeaderCell>From \ to</Table.HeaderCell>
            {targets.map((t) => (
              <Table.HeaderCell key={t.key} className="text-right">
                {t.label}
              </Table.HeaderCell>
            ))}
            <Table.HeaderCell className="text-right">Total</Table.HeaderCell>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {sources.map((s) => {
            const total = rowTotal(s.key)
            return (
              <Table.Row key={s.key}>
                <Table.Cell>{s.label}</Table.Cell>
                {targets.map((t) => {
                  const n = at(s.key, t.key)
                  return (
                    <Table.Cell
                      key={t.key}
                      className={`text-right tabular-nums ${s.key === t.key ? "font-semibold" : ""}`}
                      style={n ? { background: shade(total ? n / total : 0) } : undefined}
                      title={`${s.label} → ${t.label}: ${int(n)} customers`}
                    >
                      {n ? int(n) : "·"}
                    </Table.Cell>
                  )
                })}
                <Table.Cell className="text-right tabular-nums">{int(total)}</Table.Cell>
              </Table.Row>
            )
          })}
          <Table.Row>
            <Table.Cell className="text-ui-fg-subtle">Total</Table.Cell>
            {targets.map((t) => (
              <Table.Cell key={t.key} className="text-right tabular-nums text-ui-fg-subtle">
                {int(colTotal(t.key))}
              </Table.Cell>
            ))}
            <Table.Cell className="text-right tabular-nums text-ui-fg-subtle">{int(sources.reduce((n, s) => n + rowTotal(s.key), 0))}</Table.Cell>
          </Table.Row>
        </Table.Body>
      </Table>
    </div>
  )
}
