import { Table, Text } from "@medusajs/ui"
import { useAdminCustomQuery } from "medusa-react"
import type { SegmentFlowReport } from "../../types/segment-flows"
import { DriftSpark } from "./drift-spark"
import { FlowTable, flowKey } from "./flow-table"
import { dateTime, errorMessage, int, num } from "./format"
import { Note, Section } from "./section"

const NEW = "new"
const GONE = "gone"

/**
 * Segment migration between the last two training runs (GET /admin/interest/flows):
 * a flow table from the earlier run's segments to the later run's, and each
 * segment's size and centroid shift over its last runs.
 */
export const SegmentFlowSections = () => {
  const { data, isLoading, error } = useAdminCustomQuery<Record<string, never>, SegmentFlowReport>("/interest/flows", ["interest-segment-flow"])
  const segs = data?.segments ?? []
  // A segment the last run retired still shows where its customers went.
  const nameOf = new Map(segs.map((s) => [s.id, s.status && s.status !== "active" ? `${s.name} (${s.status})` : s.name]))
  const label = (id: string): string => nameOf.get(id) ?? id
  const plainName = new Map(segs.map((s) => [s.id, s.name]))
  const sources = [
    ...segs.filter((s) => s.from_size > 0).map((s) => ({ key: s.id, label: label(s.id) })),
    ...(data?.totals.new ? [{ key: NEW, label: "New customers" }] : []),
  ]
  const targets = [
    ...segs.filter((s) => s.to_size > 0).map((s) => ({ key: s.id, label: label(s.id) })),
    ...(data?.totals.gone ? [{ key: GONE, label: "Gone" }] : []),
  ]
  const counts = new Map((data?.flows ?? []).map((f) => [flowKey(f.from, f.to), f.customers]))
  const runs = (data?.drift.runs ?? []).map((r) => dateTime(r.created_at))
  const t = data?.totals

  return (
    <>
      <Section
        title="Where customers moved"
        subtitle={
          data?.from && data.to
            ? `Between the runs of ${dateTime(data.from.created_at)} and ${dateTime(data.to.created_at)}: each row is where customers were, each column where they are now.`
            : "Between the last two training runs."
        }
      >
        {error ? <Note tone="error">Could not load the segment flow: {errorMessage(error)}</Note> : null}
        {isLoading ? <Note>Loading…</Note> : null}
        {data?.note ? <Note>{data.note}</Note> : null}
        {t && data?.from ? (
          <Text size="small" className="text-ui-fg-subtle" data-testid="segment-flow-totals">
            {int(t.stayed)} stayed · {int(t.moved)} moved · {int(t.new)} new · {int(t.gone)} gone
          </Text>
        ) : null}
        {data?.from ? <FlowTable label="Segment flow" sources={sources} targets={targets} counts={counts} /> : null}
      </Section>

      <Section title="Segment drift" subtitle="Each segment over its last runs: customers (bars above) and how far its centroid moved since the run before (bars below, 1 − cosine).">
        {data && !data.drift.segments.length ? <Note>No runs to show yet.</Note> : null}
        {data?.drift.segments.length ? (
          <Table aria-label="Segment drift">
            <Table.Header>
              <Table.Row>
                <Table.HeaderCell>Segment</Table.HeaderCell>
                <Table.HeaderCell>Last {runs.length} runs</Table.HeaderCell>
                <Table.HeaderCell className="text-right">Size now</Table.HeaderCell>
                <Table.HeaderCell className="text-right">Last shift</Table.HeaderCell>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {data.drift.segments.map((s) => {
                const last = s.centroid_shifts[s.centroid_shifts.length - 1]
                return (
                  <Table.Row key={s.id}>
                    <Table.Cell>{label(s.id)}</Table.Cell>
                    <Table.Cell>
                      <DriftSpark name={plainName.get(s.id) ?? s.id} runs={runs} sizes={s.sizes} shifts={s.centroid_shifts} />
                    </Table.Cell>
                    <Table.Cell className="text-right tabular-nums">{int(s.sizes[s.sizes.length - 1])}</Table.Cell>
                    <Table.Cell className="text-right tabular-nums">{last === null ? "new" : num(last, 3)}</Table.Cell>
                  </Table.Row>
                )
              })}
            </Table.Body>
          </Table>
        ) : null}
      </Section>
    </>
  )
}
