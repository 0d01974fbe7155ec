/** A tiny `--name value` parser: the CLI has few flags and no dependency is worth it. */
export interface ParsedArgs {
  command: string | undefined
  flags: Record<string, string | true>
}

export function parseArgs(argv: string[]): ParsedArgs {
  const flags: Record<string, string | true> = {}
  let command: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a.startsWith("--")) {
      const eq = a.indexOf("=")
      if (eq > 0) flags[a.slice(2, eq)] = a.slice(eq + 1)
      else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) flags[a.slice(2)] = argv[++i]
      else flags[a.slice(2)] = true
    } else if (command === undefined) command = a
    else throw new Error(`Unexpected argument "${a}".`)
  }
  return { command, flags }
}

export function requireFlag(flags: ParsedArgs["flags"], name: string, usage: string): string {
  const v = flags[name]
  if (typeof v !== "string" || v.length === 0) throw new Error(`--${name} is required. Usage: ${usage}`)
  return v
}

export function optionalFlag(flags: ParsedArgs["flags"], name: string): string | undefined {
  const v = flags[name]
  if (v === true) throw new Error(`--${name} needs a value.`)
  return v
}
