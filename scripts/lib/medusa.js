// @ts-check
// Runs Medusa's own CLI (migrations, seed, start) as child processes, the way a
// merchant runs them, with the environment the dev shop and the tests need.
const { spawn } = require("child_process")
const fs = require("fs")
const path = require("path")

const ROOT = path.resolve(__dirname, "..", "..")
const MEDUSA_BIN = path.join(ROOT, "node_modules", ".bin", "medusa")

/** Medusa v1 loads mock services under NODE_ENV=test (jest's default). */
function medusaEnv(extra = {}) {
  const env = { ...process.env, ...extra }
  if (!env.NODE_ENV || env.NODE_ENV === "test") env.NODE_ENV = "development"
  env.MEDUSA_DISABLE_TELEMETRY = "true"
  return env
}

/** Runs `medusa <args>` to completion; rejects with its output on failure. */
function runMedusa(args, { cwd = ROOT, env = {}, quiet = true } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(MEDUSA_BIN, args, { cwd, env: medusaEnv(env), stdio: ["ignore", "pipe", "pipe"] })
    let output = ""
    const collect = (chunk) => {
      output += chunk.toString()
      if (!quiet) process.stdout.write(chunk)
    }
    child.stdout.on("data", collect)
    child.stderr.on("data", collect)
    child.on("error", reject)
    child.on("close", (code) =>
      code === 0 ? resolve(output) : reject(new Error(`medusa ${args.join(" ")} exited with ${code}:\n${output.slice(-4000)}`))
    )
  })
}

/**
 * Starts `medusa start` and resolves once /health answers.
 * @param {{ port: number, env?: Record<string,string>, logFile?: string, inheritOutput?: boolean, cwd?: string, timeoutMs?: number }} o
 */
async function startMedusa({ port, env = {}, logFile, inheritOutput = false, cwd = ROOT, timeoutMs = 120000 }) {
  const out = inheritOutput ? "inherit" : logFile ? fs.openSync(logFile, "a") : "ignore"
  const child = spawn(MEDUSA_BIN, ["start", "-p", String(port)], {
    cwd,
    env: medusaEnv({ PORT: String(port), ...env }),
    stdio: ["ignore", out, out],
  })
  let exited = null
  child.on("exit", (code, signal) => (exited = { code, signal }))
  const started = Date.now()
  for (;;) {
    if (exited) {
      const tail = logFile && fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8").slice(-4000) : ""
      throw new Error(`medusa start exited (${JSON.stringify(exited)}) before it was healthy.\n${tail}`)
    }
    if (Date.now() - started > timeoutMs) {
      child.kill("SIGKILL")
      throw new Error(`medusa start did not answer /health within ${timeoutMs} ms`)
    }
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`)
      if (res.ok) break
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500))
  }
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        if (exited) return resolve(undefined)
        child.once("exit", () => resolve(undefined))
        child.kill("SIGTERM")
        setTimeout(() => child.kill("SIGKILL"), 10000).unref()
      }),
  }
}

module.exports = { ROOT, MEDUSA_BIN, medusaEnv, runMedusa, startMedusa }
