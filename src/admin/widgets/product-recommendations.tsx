import type { ProductDetailsWidgetProps, WidgetConfig } from "@medusajs/admin"
import { Badge, Table, Text } from "@medusajs/ui"
import { useAdminCustomQuery } from "medusa-react"
import { Link } from "react-router-dom"
import { BarChart } from "../components/bar-chart"
import { Fact } from "../components/fact"
import { day, errorMessage, int, num, pct } from "../components/format"
import { Note, Section } from "../components/section"
import type { ProductContributorsAnswer, ProductInsights } from "../components/types"

const PLACEMENT_LABELS: Record<string, string> = {
  for_you: "For you",
  related: "Related",
  trending: "Trending",
  recently_viewed: "Recently viewed",
  segment: "Segment",
}

/**
 * Who this product's interest signal comes from: a product most of whose
 * signal comes from one or a few shoppers is being pushed, not liked.
 */
const TopContributors = ({ productId }: { productId: string }) => {
  const { data, isLoading, error } = useAdminCustomQuery<Record<string, never>, ProductContributorsAnswer>(
    `/interest/products/${productId}/contributors`,
    ["interest-product-contributors", productId]
  )
  if (isLoading) return <Note>Loading contributors…</Note>
  if (error || !data) return <Note tone="error">Could not load contributors: {errorMessage(error)}</Note>
  const c = data.contributors
  const rule = data.rule
  return (
    <div className="flex flex-col gap-y-2">
      <div className="flex items-center gap-x-2">
        <Text size="small" weight="plus">
          Top contributors, {day(data.from)} to {day(data.to)}
        </Text>
        {c.suspicious && (
          <Badge
            color="orange"
            title={`Flagged when the heaviest shopper holds over ${pct(rule.top1Share)} of the signal with ${rule.top1MinEvents}+ events, or the heaviest 10 over ${pct(rule.top10Share)} with ${rule.top10MinEvents}+ events.`}
          >
            suspicious: {c.suspicious_reasons.map((r) => (r === "top_1_share" ? "one shopper" : "few shoppers")).join(", ")}
          </Badge>
        )}
      </div>
      {c.events ? (
        <div className="grid grid-cols-2 gap-3 small:grid-cols-5">
          <Fact label="Signal" value={num(c.signal, 1)} hint={`${int(c.events)} events, weighted by event type`} />
          <Fact label="Shoppers" value={int(c.shoppers)} hint={`${int(c.customers)} customers, ${int(c.visitors)} anonymous visitors`} />
          <Fact label="Top 1 share" value={pct(c.top_1_share)} hint={`${int(c.top_1_events)} events from the heaviest shopper`} />
          <Fact label="Top 10 share" value={pct(c.top_10_share)} hint={`${int(c.top_10_events)} events from the heaviest 10 shoppers`} />
          <Fact
            label="Heaviest shopper"
            value={c.top_contributors[0]?.customer_id ?? "anonymous visitor"}
            hint={c.top_contributors[0]?.customer_id ? "a customer" : "visitor ids are not shown"}
          />
        </div>
      ) : (
        <Note>No events for this product in this period.</Note>
      )}
    </div>
  )
}

/** On a product's page: its "related" carousel and how recommendations of it performed. */
const ProductRecommendationsWidget = ({ product }: ProductDetailsWidgetProps) => {
  const { data, isLoading, error } = useAdminCustomQuery<{ limit: number }, ProductInsights>(
    `/interest/products/${product.id}`,
    ["interest-product"],
    { limit: 8 }
  )

  if (isLoading) {
    return (
      <Section title="Recommendations">
        <Note>Loading…</Note>
      </Section>
    )
  }
  if (error || !data) {
    return (
      <Section title="Recommendations">
        <Note tone="error">Could not load recommendations: {errorMessage(error)}</Note>
      </Section>
    )
  }

  return (
    <Section
      title="Recommendations"
      subtitle={data.model_version_id ? "Ranked by the active interest model." : "No model trained yet: best sellers stand in."}
    >
      <div className="flex flex-col gap-y-2">
        <Text size="small" weight="plus">
          Shown as related on this product's page
        </Text>
        {data.related.length ? (
          <ol className="grid grid-cols-1 gap-2 small:grid-cols-2">
            {data.related.map((r, i) => (
              <li key={r.product_id}>
                <Link
                  to={`/a/products/${r.product_id}`}
                  className="border-ui-border-base hover:bg-ui-bg-base-hover flex min-w-0 items-center gap-x-3 rounded-md border p-2"
                  title={r.reason}
                >
                  {r.thumbnail ? (
                    <img src={r.thumbnail} alt="" className="h-10 w-10 shrink-0 rounded object-cover" />
                  ) : (
                    <div className="bg-ui-bg-subtle text-ui-fg-muted flex h-10 w-10 shrink-0 items-center justify-center rounded text-xs">{i + 1}</div>
                  )}
                  <div className="min-w-0">
                    <Text size="small" className="truncate">
                      {r.title ?? r.product_id}
                    </Text>
                    <Text size="xsmall" className="text-ui-fg-subtle truncate">
                      {r.reason}
                    </Text>
                  </div>
                </Link>
              </li>
            ))}
          </ol>
        ) : (
          <Note>Nothing related yet.</Note>
        )}
      </div>

      <TopContributors productId={product.id} />

      <div className="flex flex-col gap-y-2">
        <Text size="small" weight="plus">
          This product in recommendations, {day(data.from)} to {day(data.to)}
        </Text>
        <BarChart
          series={["shown", "clicked", "added to cart", "bought"]}
          format={int}
          rows={data.placements.map((p) => ({
            key: p.placement,
            label: PLACEMENT_LABELS[p.placement] ?? p.placement,
            values: [p.impressions, p.clicks, p.add_to_carts, p.purchases],
          }))}
          empty="Not shown in any recommendation in this period."
        />
        {data.placements.length > 0 && (
          <Table>
            <Table.Header>
              <Table.Row>
                <Table.HeaderCell>Placement</Table.HeaderCell>
                <Table.HeaderCell className="text-right">Shown</Table.HeaderCell>
                <Table.HeaderCell className="text-right">Clicks</Table.HeaderCell>
                <Table.HeaderCell className="text-right">Add to cart</Table.HeaderCell>
                <Table.HeaderCell className="text-right">Purchases</Table.HeaderCell>
                <Table.HeaderCell className="text-right">CTR</Table.HeaderCell>
                <Table.HeaderCell className="text-right">Conversion</Table.HeaderCell>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {[...data.placements, { placement: "total", ...data.totals }].map((p) => (
                <Table.Row key={p.placement}>
                  <Table.Cell>{p.placement === "total" ? "Total" : PLACEMENT_LABELS[p.placement] ?? p.placement}</Table.Cell>
                  <Table.Cell className="text-right tabular-nums">{int(p.impressions)}</Table.Cell>
                  <Table.Cell className="text-right tabular-nums">{int(p.clicks)}</Table.Cell>
                  <Table.Cell className="text-right tabular-nums">{int(p.add_to_carts)}</Table.Cell>
                  <Table.Cell className="text-right tabular-nums">{int(p.purchases)}</Table.Cell>
                  <Table.Cell className="text-right tabular-nums">{pct(p.ctr, 1)}</Table.Cell>
                  <Table.Cell className="text-right tabular-nums">{pct(p.conversion, 1)}</Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        )}
      </div>
    </Section>
  )
}

export const config: WidgetConfig = {
  zone: "product.details.after",
}

export default ProductRecommendationsWidget
