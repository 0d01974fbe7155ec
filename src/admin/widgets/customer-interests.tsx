import type { CustomerDetailsWidgetProps, WidgetConfig } from "@medusajs/admin"
import { Badge, Text } from "@medusajs/ui"
import { useAdminCustomQuery } from "medusa-react"
import { Link } from "react-router-dom"
import { BarChart } from "../components/bar-chart"
import { Fact } from "../components/fact"
import { day, errorMessage, int, interestsLabel, num, pct } from "../components/format"
import { LineChart } from "../components/line-chart"
import { useProductTitles } from "../components/product-titles"
import { Note, Section } from "../components/section"
import type { CustomerInsights, ProfilePoint } from "../components/types"
import { useCategoryNames } from "../components/use-category-names"

const TIMELINE_SERIES = 5
const RECOMMENDATIONS_SHOWN = 8

/** Each interest's share of the period's profile (profiles hold event weights, not shares). */
const shares = (vector: Record<string, number>): Record<string, number> => {
  const sum = Object.values(vector).reduce((a, w) => a + Math.max(0, w), 0)
  return Object.fromEntries(Object.entries(vector).map(([id, w]) => [id, sum > 0 ? Math.max(0, w) / sum : 0]))
}

/** The interests drawn over time: the few strongest overall, one line each. */
const timelineSeries = (points: ProfilePoint[], names: Map<string, string>) => {
  const perPeriod = points.map((p) => shares(p.vector))
  const total = new Map<string, number>()
  const label = new Map<string, string>()
  perPeriod.forEach((share, i) => {
    for (const [id, w] of Object.entries(share)) total.set(id, (total.get(id) ?? 0) + w)
    for (const t of points[i].top_interests) if (t.name) label.set(t.id, t.name)
  })
  return Array.from(total.entries())
    .sort((a, b) => b[1] - a[1])
    .slice(0, TIMELINE_SERIES)
    .map(([id]) => ({ name: label.get(id) ?? names.get(id) ?? id, values: perPeriod.map((share) => share[id] ?? 0) }))
}

/** On a customer's page: interest timeline, segment, predicted interests and current recommendations. */
const CustomerInterestsWidget = ({ customer }: CustomerDetailsWidgetProps) => {
  const names = useCategoryNames()
  const { data, isLoading, error } = useAdminCustomQuery<Record<string, never>, CustomerInsights>(
    `/interest/customers/${customer.id}`,
    ["interest-customer"]
  )
  const recommendations = data?.recommendations ?? []
  const forYou = recommendations.find((r) => r.placement === "for_you") ?? recommendations[0]
  const items = (forYou?.items ?? []).slice(0, RECOMMENDATIONS_SHOWN)
  const titles = useProductTitles(items.map((i) => i.product_id))

  if (isLoading) {
    return (
      <Section title="Interests">
        <Note>Loading…</Note>
      </Section>
    )
  }
  if (error || !data) {
    return (
      <Section title="Interests">
        <Note tone="error">Could not load interests: {errorMessage(error)}</Note>
      </Section>
    )
  }

  // One line per interest over the category profiles of the most common period length.
  const category = data.timeline.filter((p) => p.dimension === "category")
  const period = category[category.length - 1]?.period
  const points = category.filter((p) => p.period === period)
  const segment = data.segment

  return (
    <Section
      title="Interests"
      subtitle={
        period
          ? `Share of each category in this customer's interest per ${period} (the ${TIMELINE_SERIES} strongest), learnt from their events.`
          : "What this customer is interested in."
      }
      actions={data.opted_out ? <Badge color="orange">opted out</Badge> : null}
    >
      {data.opted_out && <Note>This customer opted out: nothing new is recorded or learnt about them.</Note>}
      <LineChart
        xLabels={points.map((p) => day(p.period_start))}
        xPositions={points.map((p) => new Date(p.period_start).getTime())}
        series={timelineSeries(points, names)}
        format={(v) => pct(v)}
        empty="No interest profile yet: the customer has no events, or no model was trained since."
      />
      <div className="grid grid-cols-1 gap-6 medium:grid-cols-3">
        <div className="flex flex-col gap-y-2">
          <Text size="small" weight="plus">
            Segment
          </Text>
          {segment ? (
            <>
              <Link to={`/a/segments/${segment.id}`} className="text-ui-fg-interactive text-sm">
                {segment.name}
              </Link>
              <div className="grid grid-cols-2 gap-2">
                <Fact label="Members" value={int(segment.size)} />
                {segment.distance !== null && <Fact label="Distance to centre" value={num(segment.distance, 3)} />}
              </div>
              <Text size="xsmall" className="text-ui-fg-subtle">
                {interestsLabel(segment.top_interests)}
              </Text>
            </>
          ) : (
            <Note>Not in a segment yet.</Note>
          )}
          {data.segment_mixture && data.segment_mixture.length > 1 && (
            <div data-testid="segment-mixture" className="flex flex-col gap-y-1">
              <Text size="xsmall" weight="plus">
                Segment mixture
              </Text>
              <BarChart
                series={["probability"]}
                format={(v) => pct(v)}
                rows={data.segment_mixture.slice(0, 5).map((s) => ({ key: s.id, label: s.name, values: [s.probability] }))}
              />
              <Text size="xsmall" className="text-ui-fg-subtle">
                How much the customer belongs to each segment (a softmax over the distances to the segments' centres).
              </Text>
            </div>
          )}
        </div>
        <div className="flex flex-col gap-y-2">
          <Text size="small" weight="plus">
            Predicted next {period ?? "period"}
          </Text>
          {data.predicted ? (
            <>
              <BarChart
                series={["weight"]}
                format={(v) => pct(v)}
                rows={data.predicted.interests.slice(0, 5).map((i) => ({ key: i.id, label: i.name ?? names.get(i.id) ?? i.id, values: [i.weight] }))}
              />
              <Text size="xsmall" className="text-ui-fg-subtle">
                {data.predicted.source === "lstm" ? "by the sequence model" : "from the decayed profile (the sequence model does not know this customer)"}
              </Text>
            </>
          ) : (
            <Note>No prediction: no active model knows this customer.</Note>
          )}
        </div>
        <div className="flex flex-col gap-y-2">
          <Text size="small" weight="plus">
            Recommended now{forYou ? ` (${forYou.placement.replace("_", " ")})` : ""}
          </Text>
          {items.length ? (
            <ol className="flex flex-col gap-y-1">
              {items.map((item, i) => (
                <li key={item.product_id} className="flex items-baseline gap-x-2">
                  <Text size="xsmall" className="text-ui-fg-muted w-4 shrink-0 text-right">
                    {i + 1}
                  </Text>
                  <div className="min-w-0">
                    <Link to={`/a/products/${item.product_id}`} className="text-ui-fg-interactive block truncate text-sm">
                      {titles.get(item.product_id)?.title ?? item.product_id}
                    </Link>
                    {item.reason && (
                      <Text size="xsmall" className="text-ui-fg-subtle truncate">
                        {item.reason}
                      </Text>
                    )}
                  </div>
                </li>
              ))}
            </ol>
          ) : (
            <Note>No precomputed recommendations for this customer.</Note>
          )}
        </div>
      </div>
    </Section>
  )
}

export const config: WidgetConfig = {
  zone: "customer.details.after",
}

export default CustomerInterestsWidget
