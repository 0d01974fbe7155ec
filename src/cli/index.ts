#!/usr/bin/env node
/**
 * medusa-interest: run the engine on an interest-events CSV, without Medusa.
 *   medusa-interest evaluate --events FILE.csv [--period day|week|month] [--k 5,10] [--split test|dev] [--json OUT] [--lstm [--backend auto|tensorflow|wasm|cpu]] [--seasons]
 *   medusa-interest train --events FILE.csv --out DIR [--period ...]
 *   medusa-interest recommend --model DIR --customer ID [--k 10] [--placement for_you] [--json OUT]
 *   medusa-interest recommend --model DIR --customers FILE|all --json OUT [--k 10]
 *   medusa-interest tune --events FILE.csv [--period ...] [--folds 5] [--lstm [--backend ...]] [--seasons]
 */
import { parseArgs } from "./args"
import { runEvaluate } from "./evaluate"
import { runRecommend } from "./recommend"
import { runTrain } from "./train"
import { runTune } from "./tune"

const USAGE = `Usage:
  medusa-interest evaluate --events FILE.csv [--period day|week|month] [--k 5,10] [--split test|dev] [--json OUT] [--lstm [--backend auto|tensorflow|wasm|cpu]] [--seasons]
  medusa-interest train --events FILE.csv --out DIR [--period day|week|month] [--lstm [--backend ...]]
  medusa-interest recommend --model DIR --customer ID [--k 10] [--placement for_you|trending|recently_viewed|segment|related] [--product ID] [--json OUT]
  medusa-interest recommend --model DIR --customers FILE|all --json OUT [--k 10]   (FILE: one customer id a line; writes {"<customer_id>": ["<product_id>", ...]} of for_you)
  medusa-interest tune --events FILE.csv [--period day|week|month] [--folds 5] [--only NAME,NAME] [--lstm [--backend ...]] [--seasons]   (customer-fold CV of the ranker settings on the dev split)`

export async function main(argv: string[]): Promise<number> {
  const { command, flags } = parseArgs(argv)
  switch (command) {
    case "evaluate":
      await runEvaluate(flags)
      return 0
    case "train":
      await runTrain(flags)
      return 0
    case "recommend":
      await runRecommend(flags)
      return 0
    case "tune":
      await runTune(flags)
      return 0
    case undefined:
    case "help":
      process.stdout.write(USAGE + "\n")
      return command === undefined && !flags.help ? 1 : 0
    default:
      throw new Error(`Unknown command "${command}".\n${USAGE}`)
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: Error) => {
      process.stderr.write(`medusa-interest: ${e.message}\n`)
      process.exit(1)
    }
  )
}
