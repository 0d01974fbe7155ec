import type { RouteConfig } from "@medusajs/admin"
import { UserGroup } from "@medusajs/icons"
import { Badge, Heading, Input, Select, Table, Text } from "@medusajs/ui"
import { useAdminCustomQuery } from "medusa-react"
import { useState } from "react"
import { Link, useNavigate } from "react-router-dom"
import { BarChart } from "../../components/bar-chart"
import { errorMessage, int, interestsLabel, num } from "../../components/format"
import { PagePagination } from "../../components/page-pagination"
import { SegmentFlowSections } from "../../components/segment-flow"
import { Note, Section } from "../../components/section"
import type { SegmentsResponse } from "../../components/types"

const PAGE_SIZE = 20

/**
 * All segments: sizes as a chart labelled with their top interests, a table,
 * and how customers moved between segments over the last runs.
 */
const SegmentsPage = () => {
  const navigate = useNavigate()
  const [status, setStatus] = useState("active")
  const [q, setQ] = useState("")
  const [page, setPage] = useState(0)
  const query = { status, limit: PAGE_SIZE, offset: page * PAGE_SIZE, ...(q.trim() ? { q: q.trim() } : {}) }
  const { data, isLoading, error } = useAdminCustomQuery<typeof query, SegmentsResponse>("/interest/segments", ["interest-segments"], query)
  const segments = data?.segments ?? []
  const count = data?.count ?? 0

  return (
    <div className="flex flex-col gap-y-4">
      <div>
        <Heading level="h1">Segments</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          Customers grouped by what they are interested in, learnt by the last training run.
        </Text>
      </div>

      <Section title="Segment sizes" subtitle="Customers per segment; click a bar to open the segment.">
        {isLoading ? (
          <Note>Loading…</Note>
        ) : (
          <BarChart
            series={["customers"]}
            format={int}
            rows={segments.map((s) => ({ key: s.id, label: s.name, hint: interestsLabel(s.top_interests), values: [s.size] }))}
            onRowClick={(id) => navigate(`/a/segments/${id}`)}
            empty="No segments yet: train a model on the Models page."
          />
        )}
      </Section>

      <Section
        title="All segments"
        actions={
          <>
            <Input
              size="small"
              type="search"
              placeholder="Search by name"
              value={q}
              onChange={(e) => {
                setQ(e.target.value)
                setPage(0)
              }}
            />
            <Select
              size="small"
              value={status}
              onValueChange={(v) => {
                setStatus(v)
                setPage(0)
              }}
            >
              <Select.Trigger>
                <Select.Value />
              </Select.Trigger>
              <Select.Content>
                <Select.Item value="active">Active</Select.Item>
                <Select.Item value="retired">Retired</Select.Item>
                <Select.Item value="all">All</Select.Item>
              </Select.Content>
            </Select>
          </>
        }
      >
        {error ? <Note tone="error">Could not load segments: {errorMessage(error)}</Note> : null}
        <Table aria-label="All segments">
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Name</Table.HeaderCell>
              <Table.HeaderCell className="text-right">Size</Table.HeaderCell>
              <Table.HeaderCell>Top interests</Table.HeaderCell>
              <Table.HeaderCell className="text-right">Cohesion</Table.HeaderCell>
              <Table.HeaderCell className="text-right">Drift</Table.HeaderCell>
              <Table.HeaderCell>Pinned</Table.HeaderCell>
              <Table.HeaderCell>Customer group</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {segments.map((s) => (
              <Table.Row key={s.id} className="cursor-pointer" onClick={() => navigate(`/a/segments/${s.id}`)}>
                <Table.Cell>
                  <div className="flex items-center gap-x-2">
                    {/* A real link (keyboard, new tab); the row's own click covers the other cells. */}
                    <Link to={`/a/segments/${s.id}`} onClick={(e) => e.stopPropagation()}>
                      {s.name}
                    </Link>
                    {s.status !== "active" && <Badge size="2xsmall">{s.status}</Badge>}
                  </div>
                </Table.Cell>
                <Table.Cell className="text-right tabular-nums">{int(s.size)}</Table.Cell>
                <Table.Cell className="max-w-[24rem] truncate">{interestsLabel(s.top_interests)}</Table.Cell>
                <Table.Cell className="text-right tabular-nums">{num(s.cohesion)}</Table.Cell>
                <Table.Cell className="text-right tabular-nums" title="1 − cosine to the previous run's centroid">
                  {s.drift === null ? "new" : num(s.drift)}
                </Table.Cell>
                <Table.Cell>{s.pinned ? <Badge size="2xsmall" color="blue">pinned</Badge> : "–"}</Table.Cell>
                <Table.Cell>{s.customer_group_id ? <Badge size="2xsmall" color="green">synced</Badge> : "–"}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
        {!isLoading && !segments.length && <Note>No segments match.</Note>}
        <PagePagination count={count} pageSize={PAGE_SIZE} page={page} setPage={setPage} />
      </Section>

      <SegmentFlowSections />
    </div>
  )
}

export const config: RouteConfig = {
  link: {
    label: "Segments",
    icon: UserGroup,
  },
}

export default SegmentsPage
