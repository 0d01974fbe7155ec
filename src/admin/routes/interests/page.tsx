import type { RouteConfig } from "@medusajs/admin"
import { ChartPie } from "@medusajs/icons"
import { Badge, Heading, Input, Label, Select, Table, Text } from "@medusajs/ui"
import { useAdminCustomQuery } from "medusa-react"
import { useState } from "react"
import { errorMessage, int, pct } from "../../components/format"
import { HeatMap } from "../../components/heat-map"
import { Note, Section } from "../../components/section"
import { StackedAreaChart } from "../../components/stacked-area-chart"
import type { FlowPeriod, InterestSharesReport, NamedCategory, TransitionsReport } from "../../../types/interest-flows"

type FlowParams = { period?: FlowPeriod; from?: string; to?: string }

const MODEL_PERIOD = "model"
const nameOf = (c: NamedCategory): string => c.name ?? c.id

/** "2024-03-04" for weeks and days, "2024-03" for months. */
const periodLabel = (iso: string, period: FlowPeriod | null): string => (period === "month" ? iso.slice(0, 7) : iso.slice(0, 10))

const TrendBadge = ({ trend, change }: { trend: string; change: number }) => {
  const points = `${change >= 0 ? "+" : "−"}${Math.abs(change * 100).toFixed(1)} pts`
  if (trend === "rising") return <Badge size="2xsmall" color="green">▲ rising {points}</Badge>
  if (trend === "falling") return <Badge size="2xsmall" color="red">▼ falling {points}</Badge>
  return <Text size="xsmall" className="text-ui-fg-subtle">steady {points}</Text>
}

/**
 * Shop-level interest flows of the active model: how interest is shared between
 * categories period by period, and where the customers of a category go next.
 */
const InterestsPage = () => {
  const [period, setPeriod] = useState(MODEL_PERIOD)
  const [from, setFrom] = useState("")
  const [to, setTo] = useState("")
  const params: FlowParams = {
    ...(period !== MODEL_PERIOD ? { period: period as FlowPeriod } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  }
  const shares = useAdminCustomQuery<FlowParams, InterestSharesReport>("/interest/interests", ["interest-shares"], params)
  const transitions = useAdminCustomQuery<FlowParams, TransitionsReport>("/interest/transitions", ["interest-transitions"], params)
  const [selected, setSelected] = useState<string | null>(null)

  const s = shares.data
  const t = transitions.data
  const xLabels = (s?.periods ?? []).map((p) => periodLabel(p.start, s?.period ?? null))
  const row = t?.rows.find((r) => r.id === selected) ?? null
  const destinations = row && t
    ? t.categories.map((c, j) => ({ category: c, cell: row.cells[j] })).filter((d) => d.cell.probability > 0).sort((a, b) => b.cell.probability - a.cell.probability)
    : []
  const selectedName = row && t ? nameOf(t.categories[t.rows.indexOf(row)]) : ""

  return (
    <div className="flex flex-col gap-y-4">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <Heading level="h1">Interests</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            Where your customers' interest goes, period by period, from the active model
            {s?.model_version_id ? ` (trained ${s.trained_at?.slice(0, 10)}, ${s.model_period} periods)` : ""}.
          </Text>
        </div>
        <div className="flex items-end gap-x-2">
          <div className="flex flex-col gap-y-1">
            <Label size="xsmall">Period</Label>
            <Select size="small" value={period} onValueChange={setPeriod}>
              <Select.Trigger>
                <Select.Value />
              </Select.Trigger>
              <Select.Content>
                <Select.Item value={MODEL_PERIOD}>The model's</Select.Item>
                <Select.Item value="day">Days</Select.Item>
                <Select.Item value="week">Weeks</Select.Item>
                <Select.Item value="month">Months</Select.Item>
              </Select.Content>
            </Select>
          </div>
          <div className="flex flex-col gap-y-1">
            <Label size="xsmall">From</Label>
            <Input size="small" type="date" aria-label="From" value={from} onChange={(e) => setFrom(e.target.value)} />
          </div>
          <div className="flex flex-col gap-y-1">
            <Label size="xsmall">To</Label>
            <Input size="small" type="date" aria-label="To" value={to} onChange={(e) => setTo(e.target.value)} />
          </div>
        </div>
      </div>

      <Section
        title="Share of interest"
        subtitle={`Each period, the average active customer's interest split over the top categories (the rest as "Other"). ▲ rising / ▼ falling: the share moved by at least ${((s?.trend_min_change ?? 0.02) * 100).toFixed(0)} points between the first and the second half of the window.`}
      >
        {shares.error ? <Note tone="error">Could not load the shares: {errorMessage(shares.error)}</Note> : null}
        {shares.isLoading ? (
          <Note>Loading…</Note>
        ) : s?.note ? (
          <Note>{s.note}</Note>
        ) : s ? (
          <>
            <StackedAreaChart
              xLabels={xLabels}
              series={s.categories.map((c) => ({ name: nameOf(c), values: c.shares, mark: c.trend === "steady" ? undefined : c.trend }))}
              rest={{ name: "Other", values: s.other }}
            />
            <Table>
              <Table.Header>
                <Table.Row>
                  <Table.HeaderCell>Category</Table.HeaderCell>
                  <Table.HeaderCell className="text-right">Mean share</Table.HeaderCell>
                  <Table.HeaderCell className="text-right">Last period</Table.HeaderCell>
                  <Table.HeaderCell>Trend</Table.HeaderCell>
                </Table.Row>
              </Table.Header>
              <Table.Body>
                {s.categories.map((c) => (
                  <Table.Row key={c.id}>
                    <Table.Cell>{nameOf(c)}</Table.Cell>
                    <Table.Cell className="text-right tabular-nums">{pct(c.mean_share, 1)}</Table.Cell>
                    <Table.Cell className="text-right tabular-nums">{pct(c.shares[c.shares.length - 1], 1)}</Table.Cell>
                    <Table.Cell>
                      <TrendBadge trend={c.trend} change={c.change} />
                    </Table.Cell>
                  </Table.Row>
                ))}
              </Table.Body>
            </Table>
            <Text size="xsmall" className="text-ui-fg-subtle">
              Active customers per period: {s.periods.map((p) => int(p.customers)).join(" · ")}
            </Text>
          </>
        ) : null}
      </Section>

      <Section
        title="Where customers go next"
        subtitle={`Row: a category customers were interested in during a period; column: their interest in their next active period (the model's Markov estimate). Grey cells: fewer than ${t?.min_customers ?? 5} customers made that move, too few to read anything into. Click a row.`}
      >
        {transitions.error ? <Note tone="error">Could not load the transitions: {errorMessage(transitions.error)}</Note> : null}
        {transitions.isLoading ? (
          <Note>Loading…</Note>
        ) : t?.note ? (
          <Note>{t.note}</Note>
        ) : t ? (
          <div className="flex flex-wrap gap-6">
            <HeatMap
              labels={t.categories.map((c) => ({ key: c.id, label: nameOf(c) }))}
              cells={t.rows.map((r, i) =>
                r.cells.map((c, j) => ({
                  value: c.probability,
                  sparse: c.sparse,
                  title: `${nameOf(t.categories[i])} → ${nameOf(t.categories[j])}: ${pct(c.probability, 1)}, ${int(c.customers)} customers${c.sparse ? " (too few)" : ""}`,
                }))
              )}
              selected={selected}
              onRowClick={setSelected}
            />
            <div className="min-w-[16rem] flex-1">
              {row ? (
                <div className="flex flex-col gap-y-2" data-testid="next-categories">
                  <Heading level="h3">Where do customers of {selectedName} go next?</Heading>
                  <Text size="small" className="text-ui-fg-subtle">
                    {int(row.customers)} customers, {int(row.transitions)} moves{row.sparse ? " — too few to be sure" : ""}.
                  </Text>
                  <Table>
                    <Table.Header>
                      <Table.Row>
                        <Table.HeaderCell>Next</Table.HeaderCell>
                        <Table.HeaderCell className="text-right">Probability</Table.HeaderCell>
                        <Table.HeaderCell className="text-right">Customers</Table.HeaderCell>
                      </Table.Row>
                    </Table.Header>
                    <Table.Body>
                      {destinations.map((d) => (
                        <Table.Row key={d.category.id} className={d.cell.sparse ? "text-ui-fg-muted" : undefined}>
                          <Table.Cell>
                            {nameOf(d.category)}
                            {d.category.id === row.id ? " (stays)" : ""}
                          </Table.Cell>
                          <Table.Cell className="text-right tabular-nums">{pct(d.cell.probability, 1)}</Table.Cell>
                          <Table.Cell className="text-right tabular-nums">
                            {int(d.cell.customers)}
                            {d.cell.sparse ? " (too few)" : ""}
                          </Table.Cell>
                        </Table.Row>
                      ))}
                      {row.other > 0 && (
                        <Table.Row>
                          <Table.Cell>Other categories</Table.Cell>
                          <Table.Cell className="text-right tabular-nums">{pct(row.other, 1)}</Table.Cell>
                          <Table.Cell />
                        </Table.Row>
                      )}
                    </Table.Body>
                  </Table>
                </div>
              ) : (
                <Note>Click a row to see where the customers of that category go next.</Note>
              )}
            </div>
          </div>
        ) : null}
      </Section>
    </div>
  )
}

export const config: RouteConfig = {
  link: {
    label: "Interests",
    icon: ChartPie,
  },
}

export default InterestsPage
