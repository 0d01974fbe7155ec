import { EntityManager } from "typeorm"
import { ActiveModel, modelRegistry } from "./model-registry"

/**
 * The model that ranks a list: the version an experiment arm names, else the
 * active version. A named version that can no longer serve (deleted or
 * rewritten away between two looks) falls back to the active one, and the
 * list then carries the active version's id: the impression records what
 * actually ranked it.
 * @param versionId - the arm's model version, or null
 */
export async function servingModel(manager: EntityManager, versionId: string | null): Promise<ActiveModel | null> {
  const named = versionId ? await modelRegistry.getVersion(manager, versionId) : null
  return named ?? (await modelRegistry.getActive(manager))
}
