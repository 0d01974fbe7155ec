// The part of proxy-addr (express's own dependency, no @types package here) the plugin uses.
declare module "proxy-addr" {
  import { IncomingMessage } from "http"

  type TrustFunction = (addr: string, hopIndex: number) => boolean
  /**
   * The client address: the socket's, then X-Forwarded-For from right to left
   * while each hop is trusted (the right-most untrusted address).
   */
  function proxyaddr(req: IncomingMessage, trust: TrustFunction | string | string[]): string
  namespace proxyaddr {
    /** Compiles addresses, CIDR ranges and the names loopback, linklocal, uniquelocal; throws on an invalid entry. */
    function compile(value: string | string[]): TrustFunction
    function all(req: IncomingMessage, trust?: TrustFunction | string | string[]): string[]
  }
  export = proxyaddr
}
