import type { RouteConfig, RouteProps } from "@medusajs/admin"
import { Sparkles } from "@medusajs/icons"
import { Badge, Button, Heading, Select, Table, Text } from "@medusajs/ui"
import { useQueryClient } from "@tanstack/react-query"
import { useAdminCustomPost, useAdminCustomQuery } from "medusa-react"
import { useState } from "react"
import { BarChart } from "../../components/bar-chart"
import { dateTime, duration, errorMessage, int, num } from "../../components/format"
import { LineChart } from "../../components/line-chart"
import { ModelActions } from "../../components/model-actions"
import { Note, Section } from "../../components/section"
import { TrainProgress } from "../../components/train-progress"
import type { ModelsResponse, ModelVersion, TrainingRun } from "../../components/types"

/** The methods a version is compared on, as training scores them (engine/pipeline/train-model.ts). */
const METHODS: { key: string; label: string }[] = [
  { key: "model", label: "model (shipped)" },
  { key: "best_baseline", label: "ranker on baseline signals" },
  { key: "without_lstm", label: "without LSTM" },
  { key: "without_transfer", label: "without transfer" },
  { key: "popularity", label: "popularity" },
  { key: "repeat", label: "repeat" },
  { key: "markov", label: "markov" },
  { key: "item_knn", label: "item kNN" },
]

const validationOf = (m: ModelVersion) => m.metrics?.report?.validation ?? {}

/** Model versions: metrics against the baselines, train now with live progress, activate / roll back, delete. */
const ModelsPage = ({ notify }: RouteProps) => {
  const queryClient = useQueryClient()
  const { data, isLoading, error } = useAdminCustomQuery<{ limit: number }, ModelsResponse>("/interest/models", ["interest-models"], { limit: 50 })
  const models = data?.models ?? []
  const [selected, setSelected] = useState<string | null>(null)
  const [runId, setRunId] = useState<string | null>(null)
  const [finishedRun, setFinishedRun] = useState<string | null>(null)
  const train = useAdminCustomPost<Record<string, never>, { run: TrainingRun; already_running: boolean }>("/interest/models/train", [])

  // A run started elsewhere (the nightly job, another admin) shows its progress too.
  const trackedRun = runId ?? models.find((m) => m.status === "training")?.training_run_id ?? null

  const shown = models.find((m) => m.id === selected) ?? models.find((m) => m.is_active) ?? models.find((m) => m.status === "ready")
  const validation = shown ? validationOf(shown) : {}
  // Versions trained before single baselines were scored have null entries for them: left out.
  const rows = METHODS.filter((m) => Number.isFinite(validation[m.key]?.category)).map((m) => ({
    key: m.key,
    label: m.label,
    strong: m.key === "model",
    values: [validation[m.key].category ?? 0, validation[m.key].product ?? 0],
  }))
  const history = models.filter((m) => m.status === "ready" && validationOf(m).model).reverse()

  const onDone = (run: TrainingRun) => {
    setFinishedRun(run.id)
    if (run.status === "succeeded") notify.success("Training", "A new model version is serving.")
    else notify.error("Training", run.error ?? "The run failed.")
    // Training replaces the active version and the segments.
    void queryClient.invalidateQueries({ queryKey: ["/interest/models"] })
    void queryClient.invalidateQueries({ queryKey: ["/interest/segments"] })
  }

  return (
    <div className="flex flex-col gap-y-4">
      <div className="flex items-start justify-between">
        <div>
          <Heading level="h1">Interest models</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            Each training run stores a version; the active one serves recommendations and segments.
          </Text>
        </div>
        <Button
          isLoading={train.isLoading}
          disabled={!!trackedRun && trackedRun !== finishedRun}
          onClick={() =>
            train.mutate(
              {},
              {
                onSuccess: ({ run, already_running }) => {
                  if (already_running) notify.info("Training", "A run is already going; showing its progress.")
                  setRunId(run.id)
                  void queryClient.invalidateQueries({ queryKey: ["/interest/models"] })
                },
                onError: (e) => notify.error("Training", errorMessage(e)),
              }
            )
          }
        >
          Train now
        </Button>
      </div>

      {trackedRun && (
        <Section title="Training">
          <TrainProgress runId={trackedRun} onDone={onDone} />
        </Section>
      )}

      <div className="grid grid-cols-1 gap-4 medium:grid-cols-2">
        <Section
          title="Against the baselines"
          subtitle="Validation NDCG@k (each customer's last period, predicted from the earlier ones) of the shipped blend, the best blend of the baselines and the ablations, recorded when the version was trained."
          actions={
            models.length > 1 && shown ? (
              <Select size="small" value={shown.id} onValueChange={setSelected}>
                <Select.Trigger>
                  <Select.Value />
                </Select.Trigger>
                <Select.Content>
                  {models
                    .filter((m) => m.status === "ready")
                    .map((m) => (
                      <Select.Item key={m.id} value={m.id}>
                        {dateTime(m.created_at)}
                        {m.is_active ? " (active)" : ""}
                      </Select.Item>
                    ))}
                </Select.Content>
              </Select>
            ) : null
          }
        >
          {isLoading ? (
            <Note>Loading…</Note>
          ) : (
            <BarChart
              series={["category level", "product level"]}
              format={(v) => num(v, 3)}
              rows={rows}
              empty="No trained version yet: press Train now."
            />
          )}
        </Section>

        <Section title="Over versions" subtitle="Category-level validation NDCG of the shipped model and of repeating the customer's own interests, oldest first.">
          <LineChart
            xLabels={history.map((m) => dateTime(m.created_at).slice(5))}
            series={[
              { name: "model", values: history.map((m) => validationOf(m).model?.category ?? null) },
              { name: "repeat", values: history.map((m) => validationOf(m).repeat?.category ?? null) },
            ]}
            format={(v) => v.toFixed(2)}
            empty="Train at least one version to see the trend."
          />
        </Section>
      </div>

      <Section title="Versions" subtitle="Activate an older version to roll back; the active version cannot be deleted.">
        {error ? <Note tone="error">Could not load models: {errorMessage(error)}</Note> : null}
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Trained</Table.HeaderCell>
              <Table.HeaderCell>Status</Table.HeaderCell>
              <Table.HeaderCell className="text-right">NDCG model / repeat</Table.HeaderCell>
              <Table.HeaderCell>LSTM</Table.HeaderCell>
              <Table.HeaderCell className="text-right">Events</Table.HeaderCell>
              <Table.HeaderCell className="text-right">Customers</Table.HeaderCell>
              <Table.HeaderCell className="text-right">Duration</Table.HeaderCell>
              <Table.HeaderCell />
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {models.map((m) => {
              const v = validationOf(m)
              const lstm = m.metrics?.report?.lstm
              return (
                <Table.Row key={m.id} className={m.id === shown?.id ? "bg-ui-bg-subtle" : ""} onClick={() => m.status === "ready" && setSelected(m.id)}>
                  <Table.Cell title={m.id}>{dateTime(m.created_at)}</Table.Cell>
                  <Table.Cell>
                    <div className="flex items-center gap-x-1.5">
                      <Badge size="2xsmall" color={m.status === "ready" ? "green" : m.status === "failed" ? "red" : "orange"}>
                        {m.status}
                      </Badge>
                      {m.is_active && (
                        <Badge size="2xsmall" color="blue">
                          active
                        </Badge>
                      )}
                    </div>
                  </Table.Cell>
                  <Table.Cell className="text-right tabular-nums">
                    {v.model ? `${num(v.model.category, 3)} / ${num(v.repeat?.category, 3)}` : m.error ? <span title={m.error}>error</span> : "–"}
                  </Table.Cell>
                  <Table.Cell>{lstm ? (lstm.used ? `${lstm.backend ?? m.backend}, ${lstm.epochs ?? "?"} epochs` : "not used") : "–"}</Table.Cell>
                  <Table.Cell className="text-right tabular-nums">{int(m.event_count)}</Table.Cell>
                  <Table.Cell className="text-right tabular-nums">{int(m.customer_count)}</Table.Cell>
                  <Table.Cell className="text-right tabular-nums">{duration(m.duration_ms)}</Table.Cell>
                  <Table.Cell onClick={(e) => e.stopPropagation()}>
                    <ModelActions model={m} notify={notify} />
                  </Table.Cell>
                </Table.Row>
              )
            })}
          </Table.Body>
        </Table>
        {!isLoading && !models.length && <Note>No versions yet.</Note>}
      </Section>
    </div>
  )
}

export const config: RouteConfig = {
  link: {
    label: "Models",
    icon: Sparkles,
  },
}

export default ModelsPage
