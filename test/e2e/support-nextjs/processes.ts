import { ChildProcess, spawn, SpawnOptions } from "child_process"
import fs from "fs"
import path from "path"

/** Starts every command, so none outlives this process (see guard.js). */
const GUARD = path.join(__dirname, "guard.js")

/** Signals the process group of a guarded command. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    // gone already
  }
}

export interface Started {
  child: ChildProcess
  /** Resolves once the process group is gone (SIGTERM, then SIGKILL after graceMs). */
  stop(graceMs?: number): Promise<void>
}

/**
 * Starts a command in a process group of its own (`next start` forks
 * workers, embedded Postgres runs a server), its output appended to
 * `logFile`. The group ends with this process if `stop()` is never called.
 */
export function startProcess(command: string, args: string[], options: SpawnOptions & { logFile: string }): Started {
  const out = fs.openSync(options.logFile, "a")
  const child = spawn(process.execPath, [GUARD, command, ...args], { ...options, detached: true, stdio: ["ignore", out, out] })
  fs.closeSync(out)
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  return {
    child,
    async stop(graceMs = 10_000) {
      killGroup(child, "SIGTERM")
      const timer = setTimeout(() => killGroup(child, "SIGKILL"), graceMs)
      await exited
      clearTimeout(timer)
    },
  }
}

/** Runs a command to completion, its output appended to `logFile`; rejects with the log's tail on failure. */
export function run(command: string, args: string[], options: SpawnOptions & { logFile: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    fs.appendFileSync(options.logFile, `\n$ ${command} ${args.join(" ")}\n`)
    const started = startProcess(command, args, options)
    started.child.once("error", reject)
    started.child.once("exit", (code, signal) => {
      if (code === 0) return resolve()
      const tail = fs.readFileSync(options.logFile, "utf8").slice(-4000)
      reject(new Error(`${command} ${args.join(" ")} exited with ${code ?? signal}:\n${tail}`))
    })
  })
}

/** Polls `url` until it answers (any status below 500), or throws after `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs: number, alive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (!alive()) throw new Error(`the server for ${url} exited before it answered`)
    try {
      const res = await fetch(url, { redirect: "manual" })
      if (res.status < 500) return
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

/** The first match of `pattern` in `logFile`, polled until `timeoutMs`. */
export async function waitForLogLine(logFile: string, pattern: RegExp, timeoutMs: number, alive: () => boolean): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const match = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8").match(pattern) : null
    if (match) return match
    if (!alive()) throw new Error(`exited before printing ${pattern}:\n${fs.readFileSync(logFile, "utf8").slice(-4000)}`)
    if (Date.now() > deadline) throw new Error(`${pattern} not printed within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 200))
  }
}
