import { ChildProcess, spawn } from "child_process"
import fs from "fs"

/** Children still running; their process groups are killed if jest exits first. */
const running = new Set<ChildProcess>()
process.once("exit", () => {
  for (const child of running) killGroup(child, "SIGKILL")
})

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    // already gone
  }
}

/** Ends every command still running (a step cut short by a timeout too): SIGTERM, then SIGKILL. */
export async function stopAll(graceMs = 10_000): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once("exit", () => resolve())
          killGroup(child, "SIGTERM")
          setTimeout(() => killGroup(child, "SIGKILL"), graceMs).unref()
          if (child.exitCode !== null || child.signalCode !== null) resolve()
        })
    )
  )
}

export interface ShellOptions {
  cwd: string
  env: NodeJS.ProcessEnv
  /** Output goes here, not to the test's console: npm installs print thousands of lines. */
  logFile: string
}

function spawnShell(command: string, o: ShellOptions): ChildProcess {
  fs.appendFileSync(o.logFile, `\n$ (${o.cwd}) ${command}\n`)
  const out = fs.openSync(o.logFile, "a")
  // Its own process group, so npm's and Medusa's children go with it.
  const child = spawn("bash", ["-c", command], { cwd: o.cwd, env: o.env, detached: true, stdio: ["ignore", out, out] })
  fs.closeSync(out)
  running.add(child)
  child.once("exit", () => running.delete(child))
  return child
}

/** The last lines of the log, where a failing command's error is. */
export function logTail(logFile: string, chars = 6000): string {
  return fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8").slice(-chars) : ""
}

/**
 * Runs one shell command line to completion, as a merchant would type it.
 * @return how long it took, in ms
 */
export function runShell(command: string, o: ShellOptions): Promise<number> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const child = spawnShell(command, o)
    child.once("error", reject)
    child.once("exit", (code, signal) => {
      if (code === 0) resolve(Date.now() - started)
      else reject(new Error(`\`${command}\` (in ${o.cwd}) exited with ${code ?? signal}; the end of ${o.logFile}:\n${logTail(o.logFile)}`))
    })
  })
}

export interface Background {
  /** Rejects if the command ends before `stop()`. */
  exited: Promise<never>
  stop(graceMs?: number): Promise<void>
}

/** Starts a long-running command line (a server); `stop()` ends its whole process group. */
export function startShell(command: string, o: ShellOptions): Background {
  const child = spawnShell(command, o)
  let stopping = false
  const ended = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  const exited = ended.then(() => {
    throw new Error(`\`${command}\` ended${stopping ? "" : " on its own"}; the end of ${o.logFile}:\n${logTail(o.logFile)}`)
  })
  exited.catch(() => undefined)
  return {
    exited,
    async stop(graceMs = 10_000) {
      stopping = true
      killGroup(child, "SIGTERM")
      const timer = setTimeout(() => killGroup(child, "SIGKILL"), graceMs)
      await ended
      clearTimeout(timer)
    },
  }
}
