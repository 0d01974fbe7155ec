import net from "net"

/**
 * A TCP relay between Medusa and Postgres that a test can cut and restore, to
 * play a database restart or a network partition against any Postgres server
 * (embedded or the machine's) without touching the server itself.
 */
export interface TcpProxy {
  port: number
  /** Drops every open connection and refuses new ones (a restarting server). */
  cut(): Promise<void>
  /** Accepts connections again on the same port. */
  restore(): Promise<void>
  close(): Promise<void>
  /** Connections relayed so far (to check the proxy is really in the path). */
  readonly connections: number
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>()
  let connections = 0
  let server: net.Server | null = null
  let port = 0

  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const s = net.createServer((client) => {
        connections += 1
        const upstream = net.connect(target.port, target.host)
        for (const sock of [client, upstream]) {
          sockets.add(sock)
          sock.on("close", () => sockets.delete(sock))
          // A reset on one side closes the other; the error itself is expected when cut.
          sock.on("error", () => undefined)
        }
        client.pipe(upstream).pipe(client)
        client.on("close", () => upstream.destroy())
        upstream.on("close", () => client.destroy())
      })
      s.once("error", reject)
      s.listen(port, "127.0.0.1", () => {
        const address = s.address()
        port = typeof address === "object" && address ? address.port : port
        server = s
        resolve()
      })
    })

  const stopListening = (): Promise<void> =>
    new Promise((resolve) => {
      const s = server
      server = null
      for (const sock of sockets) sock.destroy()
      sockets.clear()
      if (!s) return resolve()
      s.close(() => resolve())
    })

  await listen()
  return {
    get port() {
      return port
    },
    get connections() {
      return connections
    },
    cut: stopListening,
    restore: async () => {
      if (!server) await listen()
    },
    close: stopListening,
  }
}
