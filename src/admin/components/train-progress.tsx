import { Text } from "@medusajs/ui"
import { useAdminCustomQuery } from "medusa-react"
import { useEffect } from "react"
import { errorMessage } from "./format"
import type { TrainingRun } from "./types"

const POLL_MS = 1500

interface Props {
  runId: string
  /** Called once when the run ends (succeeded or failed). */
  onDone: (run: TrainingRun) => void
}

/**
 * Live progress of one training run: polls GET /admin/interest/runs/:id while
 * it is running (refetchInterval as a function stops the polling by itself).
 */
export const TrainProgress = ({ runId, onDone }: Props) => {
  // medusa-react's option type omits refetchInterval although it passes every
  // option through to react-query; typed here as react-query takes it.
  const options = {
    refetchInterval: (data: { run: TrainingRun } | undefined) => (!data || data.run.status === "running" ? POLL_MS : false),
  }
  const { data, error } = useAdminCustomQuery<Record<string, never>, { run: TrainingRun }>(
    `/interest/runs/${runId}`,
    ["interest-run"],
    undefined,
    options as Record<string, unknown>
  )
  const run = data?.run
  const finished = run && run.status !== "running"
  useEffect(() => {
    if (run && finished) onDone(run)
    // onDone is the parent's callback; only a status change matters here.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [run?.id, run?.status])

  if (error) {
    return (
      <Text size="small" className="text-ui-fg-error">
        {errorMessage(error)}
      </Text>
    )
  }
  const percent = run?.status === "succeeded" ? 100 : Math.max(0, Math.min(100, run?.progress?.percent ?? 0))
  const label =
    run?.status === "failed"
      ? `Failed: ${run.error ?? "unknown error"}`
      : run?.status === "succeeded"
        ? "Done: the new version is serving."
        : [run?.progress?.stage ?? "starting", run?.progress?.message].filter(Boolean).join(" · ")
  return (
    <div className="flex flex-col gap-y-1.5" data-testid="train-progress">
      <div className="bg-ui-bg-subtle h-2 w-full overflow-hidden rounded-full">
        <div
          className={`h-full rounded-full transition-all ${run?.status === "failed" ? "bg-ui-tag-red-icon" : "bg-ui-tag-green-icon"}`}
          style={{ width: `${percent}%` }}
        />
      </div>
      <Text size="xsmall" className={run?.status === "failed" ? "text-ui-fg-error" : "text-ui-fg-subtle"}>
        {percent}% · {label}
      </Text>
    </div>
  )
}
