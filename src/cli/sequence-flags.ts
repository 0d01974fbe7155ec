import type { SequenceStepOptions } from "../engine/core/options"
import { BACKEND_CHOICES, BackendChoice } from "../engine/sequence/contract"
import { ParsedArgs, optionalFlag } from "./args"

/** `--lstm` and `--backend NAME` as the engine's sequence options. */
export function sequenceFlags(flags: ParsedArgs["flags"]): Partial<SequenceStepOptions> {
  const backend = optionalFlag(flags, "backend") ?? "auto"
  if (!(BACKEND_CHOICES as readonly string[]).includes(backend)) {
    throw new Error(`--backend must be one of ${BACKEND_CHOICES.join(", ")}, got "${backend}".`)
  }
  return { enabled: flags.lstm === true, backend: backend as BackendChoice }
}
