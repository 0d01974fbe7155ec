// @ts-check
// Builds the Medusa admin dashboard with this plugin's extensions (src/admin)
// into build/, which the `@medusajs/admin` entry of medusa-config.js serves at
// /app. A build takes minutes, so it only runs when its inputs changed: a hash
// of src/admin/** and package-lock.json is stored next to the build.
const { spawn } = require("child_process")
const crypto = require("crypto")
const fs = require("fs")
const path = require("path")

const ROOT = path.resolve(__dirname, "..", "..")
const ADMIN_SRC = path.join(ROOT, "src", "admin")
const BUILD_DIR = path.join(ROOT, "build")
const STAMP = path.join(BUILD_DIR, ".interest-admin-build.json")
const LOCK = path.join(ROOT, ".cache", "interest-admin-build.lock")
const ADMIN_CLI = path.join(ROOT, "node_modules", "@medusajs", "admin", "bin", "medusa-admin.js")
// Another process building longer than this has died without unlocking.
const LOCK_STALE_MS = 20 * 60 * 1000

/** Every file under `dir`, relative to ROOT, sorted (so the hash is stable). */
function listFiles(dir) {
  if (!fs.existsSync(dir)) return []
  const out = []
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) out.push(...listFiles(full))
    else if (entry.isFile()) out.push(path.relative(ROOT, full))
  }
  return out.sort()
}

/** Hash of what the build depends on: the extensions and the locked dependency versions. */
function inputsHash() {
  const hash = crypto.createHash("sha256")
  for (const file of [...listFiles(ADMIN_SRC), "package-lock.json"]) {
    hash.update(`${file}\0`)
    hash.update(fs.readFileSync(path.join(ROOT, file)))
    hash.update("\0")
  }
  return hash.digest("hex")
}

function upToDate(hash) {
  if (!fs.existsSync(path.join(BUILD_DIR, "index.html")) || !fs.existsSync(STAMP)) return false
  try {
    return JSON.parse(fs.readFileSync(STAMP, "utf8")).hash === hash
  } catch {
    return false
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/**
 * One builder at a time (the dev shop and a test run may both ask): the build
 * cleans build/ and .cache/admin first, so two at once would break each other.
 */
async function acquireLock(log) {
  fs.mkdirSync(path.dirname(LOCK), { recursive: true })
  let waiting = false
  for (;;) {
    try {
      fs.writeFileSync(LOCK, String(process.pid), { flag: "wx" })
      return () => fs.rmSync(LOCK, { force: true })
    } catch (e) {
      if (/** @type {NodeJS.ErrnoException} */ (e).code !== "EEXIST") throw e
    }
    let stale = false
    try {
      const pid = Number(fs.readFileSync(LOCK, "utf8"))
      stale = Date.now() - fs.statSync(LOCK).mtimeMs > LOCK_STALE_MS || !pidAlive(pid)
    } catch {
      continue // removed between our two reads: try again
    }
    if (stale) {
      fs.rmSync(LOCK, { force: true })
      continue
    }
    if (!waiting) log("another process is building the admin; waiting for it")
    waiting = true
    await sleep(1000)
  }
}

function pidAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return /** @type {NodeJS.ErrnoException} */ (e).code === "EPERM"
  }
}

/** Runs `medusa-admin build` in ROOT; rejects with the end of its output on failure. */
function runAdminBuild() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ADMIN_CLI, "build"], {
      cwd: ROOT,
      env: { ...process.env, MEDUSA_DISABLE_TELEMETRY: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    })
    let output = ""
    const collect = (chunk) => {
      output = (output + chunk.toString()).slice(-20000)
    }
    child.stdout.on("data", collect)
    child.stderr.on("data", collect)
    child.on("error", reject)
    child.on("close", (code) => {
      // medusa-admin logs webpack errors but may still exit 0: check the output too.
      if (code === 0 && fs.existsSync(path.join(BUILD_DIR, "index.html"))) resolve(output)
      else reject(new Error(`medusa-admin build exited with ${code}:\n${output.slice(-4000)}`))
    })
  })
}

/**
 * Builds the admin into build/ unless the build there was made from the same
 * src/admin and package-lock.json.
 * @param {{ log?: (message: string) => void }} [o]
 * @returns {Promise<{ built: boolean, ms: number, dir: string, path: string }>} `path` is where Medusa serves it
 */
async function ensureAdminBuild({ log = () => undefined } = {}) {
  const started = Date.now()
  const result = (built) => ({ built, ms: Date.now() - started, dir: BUILD_DIR, path: "/app" })
  let hash = inputsHash()
  if (upToDate(hash)) return result(false)
  const release = await acquireLock(log)
  try {
    // Whoever held the lock may just have built the same inputs.
    hash = inputsHash()
    if (upToDate(hash)) return result(false)
    log("building the admin dashboard (medusa-admin build; about a minute on 2 cores, only when src/admin or dependencies change)")
    await runAdminBuild()
    fs.writeFileSync(STAMP, JSON.stringify({ hash, built_at: new Date().toISOString(), ms: Date.now() - started }, null, 2))
    log(`admin built in ${Math.round((Date.now() - started) / 1000)} s`)
    return result(true)
  } finally {
    release()
  }
}

module.exports = { ensureAdminBuild, inputsHash, BUILD_DIR }
