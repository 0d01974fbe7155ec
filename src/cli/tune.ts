import { DEFAULT_TUNING_FOLDS, TUNING_VARIANTS, crossValidateRanker } from "../engine/evaluation/cross-validate"
import { ParsedArgs, optionalFlag, requireFlag } from "./args"
import { loadEventsFile, parsePeriod } from "./load-events"
import { sequenceFlags } from "./sequence-flags"

/** Customer-fold cross-validation of the ranker settings on the dev split (how the defaults were chosen). */
export async function runTune(flags: ParsedArgs["flags"]): Promise<void> {
  const file = requireFlag(flags, "events", "medusa-interest tune --events FILE.csv [--period ...] [--folds 5] [--only NAME,NAME]")
  const period = parsePeriod(optionalFlag(flags, "period"), "week")
  const folds = Number(optionalFlag(flags, "folds") ?? DEFAULT_TUNING_FOLDS)
  if (!Number.isInteger(folds) || folds < 2) throw new Error(`--folds must be an integer >= 2, got "${flags.folds}".`)
  const only = optionalFlag(flags, "only")?.split(",").map((x) => x.trim())
  const variants = only ? TUNING_VARIANTS.filter((v, i) => i === 0 || only.includes(v.name)) : TUNING_VARIANTS
  for (const name of only ?? []) {
    if (!TUNING_VARIANTS.some((v) => v.name === name)) throw new Error(`--only: unknown variant "${name}" (known: ${TUNING_VARIANTS.map((v) => v.name).join(", ")}).`)
  }
  const sequence = sequenceFlags(flags)
  const { events, catalog } = loadEventsFile(file)
  const rows = await crossValidateRanker(
    events,
    catalog,
    { period, sequence, seasons: { enabled: flags.seasons === true } },
    variants,
    folds,
    flags.verbose === true ? (m) => process.stderr.write(m + "\n") : undefined
  )
  process.stdout.write(`customer-fold cross-validation (${folds} folds) on the dev split's validation cut-off\n`)
  for (const r of rows) {
    const d = `${r.diff >= 0 ? "+" : ""}${r.diff.toFixed(4)}`
    process.stdout.write(
      `${r.variant.padEnd(34)} ${`${r.level}@${r.k}`.padEnd(12)} ${r.ndcg.toFixed(4)}  vs ${rows[0].variant} ${d} (paired SE ${r.diffSe.toFixed(4)})  ${r.customers} customers\n`
    )
  }
}
