import type { ProductDetailsWidgetProps, WidgetConfig } from "@medusajs/admin"
import { Table, Text } from "@medusajs/ui"
import { useAdminCustomQuery } from "medusa-react"
import { Link } from "react-router-dom"
import { BarChart } from "../components/bar-chart"
import { day, errorMessage, int, pct } from "../components/format"
import { Note, Section } from "../components/section"
import type { ProductInsights } from "../components/types"

const PLACEMENT_LABELS: Record<string, string> = {
  for_you: "For you",
  related: "Related",
  trending: "Trending",
  recently_viewed: "Recently viewed",
  segment: "Segment",
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
