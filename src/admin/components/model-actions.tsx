import type { RouteProps } from "@medusajs/admin"
import { Button, usePrompt } from "@medusajs/ui"
import { useAdminCustomDelete, useAdminCustomPost } from "medusa-react"
import { errorMessage } from "./format"
import type { ModelVersion } from "./types"

/** Activate (also the rollback: activate an older version) and delete one model version. */
export const ModelActions = ({ model, notify }: { model: ModelVersion; notify: RouteProps["notify"] }) => {
  const prompt = usePrompt()
  // Activation changes which segments and lists serve: refresh those pages too.
  const related = [["/interest/models"], ["/interest/segments"]]
  const activate = useAdminCustomPost<Record<string, never>, { model: ModelVersion }>(`/interest/models/${model.id}/activate`, related)
  const remove = useAdminCustomDelete<{ id: string }>(`/interest/models/${model.id}`, [["/interest/models"]])

  // The serving version can be neither activated again nor deleted, a version
  // still training is left to its run, and a failed one cannot serve.
  if (model.is_active || model.status === "training") return null
  return (
    <div className="flex justify-end gap-x-2">
      {model.status === "ready" && (
      <Button
        size="small"
        variant="secondary"
        isLoading={activate.isLoading}
        onClick={() =>
          activate.mutate(
            {},
            {
              onSuccess: () => notify.success("Model", "This version is now serving."),
              onError: (e) => notify.error("Model", errorMessage(e)),
            }
          )
        }
      >
        Activate
      </Button>
      )}
      <Button
        size="small"
        variant="danger"
        isLoading={remove.isLoading}
        onClick={async () => {
          const ok = await prompt({
            title: "Delete this model version?",
            description: "It can no longer be activated afterwards. The serving version is not affected.",
            confirmText: "Delete",
            cancelText: "Cancel",
          })
          if (!ok) return
          remove.mutate(undefined, {
            onSuccess: () => notify.success("Model", "Version deleted."),
            onError: (e) => notify.error("Model", errorMessage(e)),
          })
        }}
      >
        Delete
      </Button>
    </div>
  )
}
