import type { RouteConfig, RouteProps } from "@medusajs/admin"
import { Beaker } from "@medusajs/icons"
import { Badge, Button, Heading, Table, Text, usePrompt } from "@medusajs/ui"
import { useAdminCustomPost, useAdminCustomQuery } from "medusa-react"
import { useState } from "react"
import { dateTime, errorMessage, int, pct } from "../../components/format"
import { Note, Section } from "../../components/section"
import { UpliftChart } from "../../components/uplift-chart"
import type { ExperimentArm, ExperimentStatus } from "../../../types/experiments"

type Interval = { estimate: number; se: number; low: number; high: number }
type Comparison = { difference: Interval; uplift: Interval | null; significant: boolean }
type Metric = "conversion" | "revenue_per_shopper" | "orders_per_shopper"
interface Experiment {
  id: string
  name: string
  placement: string
  arms: ExperimentArm[]
  control_arm: string
  status: ExperimentStatus
  winner: string | null
  started_at: string | null
  stopped_at: string | null
}
interface ArmOutcome {
  name: string
  share: number
  strategy: string
  model_version_id: string | null
  shoppers: number
  converting_shoppers: number
  orders: number
  revenue: number
  impressions: number
  clicks: number
  add_to_carts: number
  attributed_orders: number
  attributed_revenue: number
  metrics: Record<Metric, Interval>
  /** Null for the control. */
  judged: boolean | null
  vs_control: Record<Metric, Comparison> | null
}
interface Results {
  currency_code: string | null
  attribution_window_days: number
  control: string
  min_converting_shoppers: number
  arms: ArmOutcome[]
  srm: { p_value: number; mismatch: boolean; observed_shares: number[] }
  daily: { day: string; uplift: { name: string; judged: boolean; conversion: Interval | null; revenue_per_shopper: Interval | null }[] }[]
}

const money = (minor: number, currency: string | null): string => `${(minor / 100).toFixed(2)}${currency ? ` ${currency.toUpperCase()}` : ""}`
const signedPct = (x: number): string => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`
const interval = (i: Interval | null | undefined, f: (x: number) => string): string => (i ? `${f(i.estimate)} [${f(i.low)}, ${f(i.high)}]` : "–")
/** What an arm serves, each word once: "trending", "model (imv_…)", or the name when it says something else. */
const armLabel = (a: Pick<ExperimentArm, "name" | "strategy" | "model_version_id">): string => {
  const serves = a.model_version_id ? `${a.strategy} ${a.model_version_id}` : a.strategy
  return a.name === a.strategy ? serves : `${a.name} (${serves})`
}

/** Experiments: which placements split their shoppers between arms, and what each arm does to sales. */
const ExperimentsPage = ({ notify }: RouteProps) => {
  const { data, isLoading, error } = useAdminCustomQuery<{ limit: number }, { experiments: Experiment[] }>(
    "/interest/experiments",
    ["interest-experiments"],
    { limit: 50 }
  )
  const experiments = data?.experiments ?? []
  const [picked, setPicked] = useState<string | null>(null)
  const current = experiments.find((e) => e.id === picked) ?? experiments.find((e) => e.status === "running") ?? experiments[0]

  return (
    <div className="flex flex-col gap-y-4">
      <div>
        <Heading level="h1">Experiments</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          Each running experiment splits one placement's shoppers between arms and compares what they buy afterwards.
        </Text>
      </div>
      <Section title="All experiments" subtitle="Create one with POST /admin/interest/experiments (see docs/experiments.md).">
        {error ? <Note tone="error">Could not load experiments: {errorMessage(error)}</Note> : null}
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Name</Table.HeaderCell>
              <Table.HeaderCell>Placement</Table.HeaderCell>
              <Table.HeaderCell>Arms</Table.HeaderCell>
              <Table.HeaderCell>Status</Table.HeaderCell>
              <Table.HeaderCell>Started</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {experiments.map((e) => (
              <Table.Row key={e.id} className="cursor-pointer" onClick={() => setPicked(e.id)}>
                <Table.Cell>{e.name}</Table.Cell>
                <Table.Cell>{e.placement}</Table.Cell>
                <Table.Cell>{e.arms.map((a) => `${a.name} ${pct(a.share)}`).join(" · ")}</Table.Cell>
                <Table.Cell>
                  <Badge size="2xsmall" color={e.status === "running" ? "green" : "grey"}>
                    {e.status}
                  </Badge>
                  {e.winner ? ` shipped ${e.winner}` : ""}
                </Table.Cell>
                <Table.Cell>{dateTime(e.started_at)}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
        {!isLoading && !experiments.length && <Note>No experiments yet.</Note>}
      </Section>
      {current && <ExperimentDetail key={current.id} experiment={current} notify={notify} />}
    </div>
  )
}

const ExperimentDetail = ({ experiment, notify }: { experiment: Experiment; notify: RouteProps["notify"] }) => {
  const prompt = usePrompt()
  // medusa-react's option type omits refetchInterval, which it passes on to react-query.
  const options = { refetchInterval: experiment.status === "running" ? 30_000 : false }
  const { data, error } = useAdminCustomQuery<Record<string, never>, Results>(
    `/interest/experiments/${experiment.id}/results`,
    ["interest-experiment-results", experiment.id],
    undefined,
    options as Record<string, unknown>
  )
  const stop = useAdminCustomPost<{ winner?: string }, { experiment: Experiment }>(`/interest/experiments/${experiment.id}/stop`, [
    ["/interest/experiments"],
  ])
  const act = async (winner?: string): Promise<void> => {
    const ok = await prompt({
      title: winner ? `Ship ${winner}?` : "Stop this experiment?",
      description: winner
        ? `The experiment stops and ${winner} serves every shopper of the ${experiment.placement} placement.`
        : "The experiment stops and the model serves every shopper again.",
      confirmText: winner ? "Ship" : "Stop",
      cancelText: "Cancel",
    })
    if (!ok) return
    stop.mutate(winner ? { winner } : {}, {
      onSuccess: () => notify.success("Experiment", winner ? `${winner} now serves the placement.` : "Stopped."),
      onError: (e) => notify.error("Experiment", errorMessage(e)),
    })
  }
  const cur = data?.currency_code ?? null
  const others = data?.arms.filter((a) => a.vs_control) ?? []
  const unjudged = others.filter((a) => a.judged === false)
  const control = experiment.arms.find((a) => a.name === experiment.control_arm)
  return (
    <Section
      title={experiment.name}
      subtitle={`${experiment.placement} · ${experiment.status} · compared with ${control ? armLabel(control) : experiment.control_arm}`}
      actions={
        experiment.status === "running" ? (
          <>
            {experiment.arms.map((a) => (
              <Button key={a.name} size="small" variant="secondary" isLoading={stop.isLoading} onClick={() => act(a.name)}>
                Ship {a.name}
              </Button>
            ))}
            <Button size="small" variant="danger" isLoading={stop.isLoading} onClick={() => act()}>
              Stop
            </Button>
          </>
        ) : undefined
      }
    >
      {error ? <Note tone="error">Could not load results: {errorMessage(error)}</Note> : null}
      {data?.srm.mismatch && (
        <Note tone="error">
          Sample ratio mismatch (p = {data.srm.p_value.toExponential(1)}): the split is {data.srm.observed_shares.map((s) => pct(s, 1)).join(" / ")}, not the
          configured shares. Something loses or adds shoppers in one arm; do not trust these numbers until it is found.
        </Note>
      )}
      {data && unjudged.length > 0 && (
        <Note>
          Too few orders to judge: each arm and the control need at least {data.min_converting_shoppers} shoppers who ordered (
          {[...unjudged, ...data.arms.filter((a) => !a.vs_control)].map((a) => `${a.name} ${int(a.converting_shoppers)}`).join(", ")}). The intervals
          are shown, but no difference is called yet.
        </Note>
      )}
      {data && (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Arm</Table.HeaderCell>
              <Table.HeaderCell className="text-right">Shoppers</Table.HeaderCell>
              <Table.HeaderCell className="text-right">Lists · clicks · carts</Table.HeaderCell>
              <Table.HeaderCell className="text-right">Conversion [95% CI]</Table.HeaderCell>
              <Table.HeaderCell className="text-right">Revenue / shopper [95% CI]</Table.HeaderCell>
              <Table.HeaderCell className="text-right">Uplift: conversion</Table.HeaderCell>
              <Table.HeaderCell className="text-right">Uplift: revenue</Table.HeaderCell>
              <Table.HeaderCell className="text-right">Attributed ({data.attribution_window_days} d)</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {data.arms.map((a) => (
              <Table.Row key={a.name}>
                <Table.Cell>
                  {a.name}{" "}
                  <span className="text-ui-fg-subtle">
                    ({a.name === a.strategy && !a.model_version_id ? "" : `${a.model_version_id ? `${a.strategy} ${a.model_version_id}` : a.strategy}, `}
                    {pct(a.share)})
                  </span>
                </Table.Cell>
                <Table.Cell className="text-right tabular-nums">{int(a.shoppers)}</Table.Cell>
                <Table.Cell className="text-right tabular-nums">
                  {int(a.impressions)} · {int(a.clicks)} · {int(a.add_to_carts)}
                </Table.Cell>
                <Table.Cell className="text-right tabular-nums">{interval(a.metrics.conversion, (x) => pct(x, 1))}</Table.Cell>
                <Table.Cell className="text-right tabular-nums">{interval(a.metrics.revenue_per_shopper, (x) => money(x, null))}</Table.Cell>
                <UpliftCell arm={a} metric="conversion" />
                <UpliftCell arm={a} metric="revenue_per_shopper" />
                <Table.Cell className="text-right tabular-nums">
                  {int(a.attributed_orders)} {a.attributed_orders === 1 ? "order" : "orders"} · {money(a.attributed_revenue, cur)}
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
      {others.map((a, i) => (
        <div key={a.name} className="flex flex-col gap-y-2">
          <Text size="small" weight="plus">
            Revenue per shopper, {a.name} over {data?.control}: cumulative uplift by day with its 95% interval
          </Text>
          <UpliftChart
            color={i + 1}
            points={(data?.daily ?? []).map((d) => ({
              label: d.day.slice(5),
              // A day with too few orders to judge has no point: its interval would only dwarf the others.
              value: ((u) => (u?.judged ? u.revenue_per_shopper : null))(d.uplift.find((u) => u.name === a.name)),
            }))}
          />
        </div>
      ))}
    </Section>
  )
}

/** An arm's uplift over the control: bold when significant, marked while there are too few orders to judge. */
const UpliftCell = ({ arm, metric }: { arm: ArmOutcome; metric: Metric }) => {
  const c = arm.vs_control?.[metric]
  return (
    <Table.Cell className={`text-right tabular-nums ${c?.significant ? "font-semibold" : ""}`}>
      {c ? interval(c.uplift, signedPct) : "control"}
      {c && arm.judged === false && <div className="text-ui-fg-muted text-xs">too few orders to judge</div>}
    </Table.Cell>
  )
}

export const config: RouteConfig = {
  link: {
    label: "Experiments",
    icon: Beaker,
  },
}

export default ExperimentsPage
