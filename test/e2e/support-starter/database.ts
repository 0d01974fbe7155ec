import net from "net"

/* eslint-disable @typescript-eslint/no-var-requires */
const { freePort, startEmbeddedPostgres, ensureDatabase, dropDatabase, withDatabase } = require("../../../scripts/lib/postgres")
/* eslint-enable @typescript-eslint/no-var-requires */

export interface FreshDatabase {
  url: string
  /** Where it runs, for the log: "DATABASE_URL", "127.0.0.1:5432" or "embedded". */
  server: string
  drop(): Promise<void>
}

const MACHINE_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port })
    const done = (ok: boolean): void => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1000)
    socket.once("connect", () => done(true))
    socket.once("error", () => done(false))
    socket.once("timeout", () => done(false))
  })
}

/**
 * A new, empty database named `name`: on DATABASE_URL's server, else on the
 * machine's Postgres at 127.0.0.1:5432 when it answers and lets `postgres` in,
 * else on an embedded Postgres of its own. `drop()` removes it (and stops the
 * embedded server).
 */
export async function freshDatabase(name: string): Promise<FreshDatabase> {
  const candidates: [string, string][] = []
  if (process.env.DATABASE_URL) candidates.push(["DATABASE_URL", process.env.DATABASE_URL])
  else if (await answers(5432)) candidates.push(["127.0.0.1:5432", MACHINE_POSTGRES])
  for (const [server, serverUrl] of candidates) {
    try {
      await ensureDatabase(serverUrl, name)
    } catch (e) {
      if (server === "DATABASE_URL") throw e
      continue // the machine's server would not let us in: use an embedded one
    }
    return { url: withDatabase(serverUrl, name), server, drop: () => dropDatabase(serverUrl, name) }
  }
  const embedded = await startEmbeddedPostgres({ name: `medusa-interest-${name}`, port: await freePort(), persistent: false })
  await ensureDatabase(embedded.url("postgres"), name)
  return { url: embedded.url(name), server: "embedded", drop: () => embedded.stop() }
}
