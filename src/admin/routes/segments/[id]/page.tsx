import type { RouteProps } from "@medusajs/admin"
import { ArrowLeft } from "@medusajs/icons"
import { Badge, Button, Heading, Input, Label, Switch, Table, Textarea } from "@medusajs/ui"
import { useAdminCustomPost, useAdminCustomQuery } from "medusa-react"
import { useEffect, useState } from "react"
import { Link, useParams } from "react-router-dom"
import { BarChart } from "../../../components/bar-chart"
import { dateTime, errorMessage, int, num, pct } from "../../../components/format"
import { Fact } from "../../../components/fact"
import { PagePagination } from "../../../components/page-pagination"
import { Note, Section } from "../../../components/section"
import type { MembersResponse, Segment, SyncResult } from "../../../components/types"
import { useCategoryNames } from "../../../components/use-category-names"

const MEMBERS_PAGE = 20
const PROFILE_BARS = 12

type SegmentUpdate = { name?: string; description?: string | null; pinned?: boolean }

/** One segment: interest profile, drift, members; rename, pin and sync to a customer group. */
const SegmentPage = ({ notify }: RouteProps) => {
  const { id = "" } = useParams()
  const path = `/interest/segments/${id}`
  const names = useCategoryNames()
  const { data, isLoading, error } = useAdminCustomQuery<Record<string, never>, { segment: Segment }>(path, ["interest-segment"])
  const segment = data?.segment

  const [page, setPage] = useState(0)
  const membersQuery = { limit: MEMBERS_PAGE, offset: page * MEMBERS_PAGE }
  const members = useAdminCustomQuery<typeof membersQuery, MembersResponse>(`${path}/members`, ["interest-segment-members"], membersQuery)

  // Saving refreshes this segment and the segments list (targeted keys: a bare
  // domain would invalidate every admin query).
  const related = [[path], ["/interest/segments"]]
  const update = useAdminCustomPost<SegmentUpdate, { segment: Segment }>(path, related)
  const sync = useAdminCustomPost<Record<string, never>, SyncResult>(`${path}/sync-customer-group`, related)
  const [synced, setSynced] = useState<SyncResult | null>(null)

  const [name, setName] = useState("")
  const [description, setDescription] = useState("")
  useEffect(() => {
    if (segment) {
      setName(segment.name)
      setDescription(segment.description ?? "")
    }
  }, [segment?.id, segment?.name, segment?.description])

  if (isLoading) return <Note>Loading…</Note>
  if (error || !segment) return <Note tone="error">Could not load the segment: {errorMessage(error)}</Note>

  const save = (body: SegmentUpdate, done: string) =>
    update.mutate(body, {
      onSuccess: () => notify.success("Segment", done),
      onError: (e) => notify.error("Segment", errorMessage(e)),
    })

  const profile = Object.entries(segment.centroid ?? {})
    .sort((a, b) => b[1] - a[1])
    .slice(0, PROFILE_BARS)
  const named = new Map(segment.top_interests.map((t) => [t.id, t.name]))
  // Training may not store distances; then the column would be all dashes.
  const withDistance = (members.data?.members ?? []).some((m) => m.distance !== null)
  const dirty = name.trim() !== segment.name || description !== (segment.description ?? "")

  return (
    <div className="flex flex-col gap-y-4">
      <Link to="/a/segments" className="text-ui-fg-subtle flex items-center gap-x-1 text-sm">
        <ArrowLeft /> Segments
      </Link>
      <div className="flex items-center gap-x-3">
        <Heading level="h1">{segment.name}</Heading>
        {segment.pinned && <Badge color="blue">pinned</Badge>}
        {segment.status !== "active" && <Badge>{segment.status}</Badge>}
      </div>

      <div className="grid grid-cols-1 gap-4 medium:grid-cols-2">
        <Section title="Interest profile" subtitle="The segment's centroid: the share of its members' interest in each category.">
          <BarChart
            series={["weight"]}
            format={(v) => pct(v)}
            rows={profile.map(([key, weight]) => ({ key, label: named.get(key) ?? names.get(key) ?? key, values: [weight] }))}
            empty="This segment has no profile yet."
          />
        </Section>

        <Section title="Summary">
          <div className="grid grid-cols-2 gap-3">
            <Fact label="Members" value={int(segment.size)} />
            <Fact label="Cohesion" value={num(segment.cohesion)} hint="mean similarity of members to the centroid (1 = identical)" />
            <Fact
              label="Drift since the last run"
              value={segment.drift === null ? "new" : pct(segment.drift)}
              hint={segment.drift === null ? "first seen in the last training run" : "1 − cosine between this run's centroid and the previous one"}
            />
            <Fact label="Suggested name" value={segment.auto_name} />
            <Fact label="Last synced" value={dateTime(segment.synced_at)} />
          </div>
        </Section>
      </div>

      <div className="grid grid-cols-1 gap-4 medium:grid-cols-2">
        <Section title="Name and pin" subtitle="A merchant's name and pin are kept across retrains; a pinned segment is never retired.">
          <div className="flex flex-col gap-y-2">
            <Label htmlFor="segment-name">Name</Label>
            <Input id="segment-name" value={name} maxLength={120} onChange={(e) => setName(e.target.value)} />
            <Label htmlFor="segment-description">Description</Label>
            <Textarea id="segment-description" value={description} maxLength={2000} onChange={(e) => setDescription(e.target.value)} />
            <div className="flex items-center justify-between pt-2">
              <div className="flex items-center gap-x-2">
                <Switch
                  id="segment-pinned"
                  checked={segment.pinned}
                  disabled={update.isLoading}
                  onCheckedChange={(pinned) => save({ pinned }, pinned ? "Pinned" : "Unpinned")}
                />
                <Label htmlFor="segment-pinned">Pinned</Label>
              </div>
              <Button
                size="small"
                disabled={!dirty || !name.trim()}
                isLoading={update.isLoading}
                onClick={() => save({ name: name.trim(), description: description.trim() ? description : null }, "Saved")}
              >
                Save
              </Button>
            </div>
          </div>
        </Section>

        <Section
          title="Customer group"
          subtitle={`Make the group "Interest: ${segment.name}" hold exactly this segment's members, for price lists and discounts.`}
          actions={
            <Button
              size="small"
              variant="secondary"
              isLoading={sync.isLoading}
              onClick={() =>
                sync.mutate(
                  {},
                  {
                    onSuccess: (result) => setSynced(result),
                    onError: (e) => notify.error("Sync", errorMessage(e)),
                  }
                )
              }
            >
              Sync to customer group
            </Button>
          }
        >
          {segment.customer_group_id && (
            <Link to={`/a/customers/groups/${segment.customer_group_id}`} className="text-ui-fg-interactive text-sm">
              Open the customer group
            </Link>
          )}
          {synced ? (
            <div className="grid grid-cols-2 gap-3" data-testid="sync-result">
              <Fact label="Group" value={synced.customer_group.name} />
              <Fact label="Members now" value={int(synced.size)} />
              <Fact label="Added" value={int(synced.added)} />
              <Fact label="Removed" value={int(synced.removed)} />
            </div>
          ) : (
            <Note>{segment.customer_group_id ? `Synced ${dateTime(segment.synced_at)}. Sync again after a retrain.` : "Not synced yet."}</Note>
          )}
        </Section>
      </div>

      <Section title="Members" subtitle={withDistance ? "Closest to the centroid first." : undefined}>
        {members.error ? <Note tone="error">{errorMessage(members.error)}</Note> : null}
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Customer</Table.HeaderCell>
              <Table.HeaderCell>E-mail</Table.HeaderCell>
              <Table.HeaderCell>Account</Table.HeaderCell>
              {withDistance && <Table.HeaderCell className="text-right">Distance</Table.HeaderCell>}
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {(members.data?.members ?? []).map((m) => (
              <Table.Row key={m.customer_id}>
                <Table.Cell>
                  <Link to={`/a/customers/${m.customer_id}`} className="text-ui-fg-interactive">
                    {[m.first_name, m.last_name].filter(Boolean).join(" ") || m.customer_id}
                  </Link>
                </Table.Cell>
                <Table.Cell>{m.email ?? "–"}</Table.Cell>
                <Table.Cell>{m.has_account ? "yes" : "guest"}</Table.Cell>
                {withDistance && <Table.Cell className="text-right tabular-nums">{num(m.distance, 3)}</Table.Cell>}
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
        <PagePagination count={members.data?.count ?? 0} pageSize={MEMBERS_PAGE} page={page} setPage={setPage} />
      </Section>
    </div>
  )
}

export default SegmentPage
