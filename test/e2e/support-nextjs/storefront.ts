import { spawn } from "child_process"
import fs from "fs"
import os from "os"
import path from "path"
import { run, startProcess, Started, waitForHttp } from "./processes"

/* eslint-disable-next-line @typescript-eslint/no-var-requires */
const { ROOT } = require("../../../scripts/lib/medusa")

export const EXAMPLE = path.join(ROOT, "examples", "nextjs-storefront")

export interface InstalledStorefront {
  dir: string
  /** npm's, next build's and next start's output (kept after remove()). */
  logFile: string
  /**
   * Deletes the installed copy, in the background: its node_modules are half a
   * gigabyte in 50,000 files, minutes of disk work on a busy machine.
   */
  remove(): void
}

/**
 * The example as a storefront developer gets it: a copy of its folder (no
 * node_modules, no .next), its locked dependencies from the registry
 * (`npm ci`), and this plugin from the tarball `npm pack` makes, installed by
 * path as a package that is not on the registry is.
 */
export async function installStorefront(log: (m: string) => void): Promise<InstalledStorefront> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "interest-nextjs-"))
  const logFile = `${dir}.log`
  const remove = (): void => spawn("rm", ["-rf", dir], { detached: true, stdio: "ignore" }).unref()
  fs.cpSync(EXAMPLE, dir, {
    recursive: true,
    filter: (src) => !/[\\/](node_modules|\.next)([\\/]|$)/.test(path.relative(EXAMPLE, src)),
  })
  const packDir = path.join(dir, ".pack")
  fs.mkdirSync(packDir)
  await run("npm", ["pack", "--silent", "--pack-destination", packDir], { cwd: ROOT, logFile }).catch((e) => {
    remove()
    throw e
  })
  const [tarball] = fs.readdirSync(packDir).filter((f) => f.endsWith(".tgz"))
  if (!tarball) throw new Error("npm pack made no tarball")
  log(`packed ${tarball}`)
  const npm = { cwd: dir, logFile, env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false" } }
  try {
    await run("npm", ["ci"], npm)
    await run("npm", ["install", "--no-save", path.join(packDir, tarball)], npm)
  } catch (e) {
    remove()
    throw e
  }
  log(`storefront installed in ${dir}`)
  return { dir, logFile, remove }
}

export interface StorefrontEnv {
  /** The shop as the browser and the storefront's server reach it. */
  backendUrl: string
  publishableKey: string
  defaultCountry: string
}

function nextEnv(env: StorefrontEnv): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    NEXT_PUBLIC_MEDUSA_BACKEND_URL: env.backendUrl,
    NEXT_PUBLIC_MEDUSA_PUBLISHABLE_KEY: env.publishableKey,
    NEXT_PUBLIC_DEFAULT_REGION: env.defaultCountry,
  }
}

/** `next build`: NEXT_PUBLIC_ values are inlined here, as in any Next.js build. */
export async function buildStorefront(app: InstalledStorefront, env: StorefrontEnv): Promise<void> {
  await run(process.execPath, [path.join(app.dir, "node_modules", "next", "dist", "bin", "next"), "build"], {
    cwd: app.dir,
    logFile: app.logFile,
    env: nextEnv(env),
  })
}

/** `next start` on `port`, once it answers. */
export async function startStorefront(app: InstalledStorefront, env: StorefrontEnv, port: number): Promise<Started> {
  const server = startProcess(
    process.execPath,
    [path.join(app.dir, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port)],
    { cwd: app.dir, logFile: app.logFile, env: nextEnv(env) }
  )
  try {
    await waitForHttp(`http://localhost:${port}/`, 60_000, () => server.child.exitCode === null)
  } catch (e) {
    await server.stop()
    throw e
  }
  return server
}

/**
 * The plugin's client types as the installed package ships them, under the
 * storefront's own compiler settings (the starter's: ES5 target, node module
 * resolution), with its declaration files checked too (`skipLibCheck` off)
 * and none of the exported types silently `any`.
 */
export async function checkClientTypes(app: InstalledStorefront): Promise<void> {
  const dir = path.join(app.dir, ".client-types")
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(
    path.join(dir, "check.ts"),
    `import { cookieStorage, createInterestClient, createServerInterestClient, InterestClient, RecommendationsResponse, ServerInterestClient, Shopper } from "medusa-plugin-interest/client"
import { useRecommendations } from "medusa-plugin-interest/client/react"
type IsAny<T> = 0 extends 1 & T ? true : false
export const notAny: [IsAny<RecommendationsResponse>, IsAny<Shopper>, IsAny<InterestClient>, IsAny<ServerInterestClient>, IsAny<typeof useRecommendations>] = [false, false, false, false, false]
export const browser: InterestClient = createInterestClient({ baseUrl: "", storage: cookieStorage() })
export const server: ServerInterestClient = createServerInterestClient({ baseUrl: "" })
`
  )
  fs.writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({ extends: "../tsconfig.json", compilerOptions: { skipLibCheck: false, incremental: false, paths: {} }, include: ["check.ts"] })
  )
  await run(process.execPath, [path.join(app.dir, "node_modules", "typescript", "bin", "tsc"), "-p", dir], { cwd: app.dir, logFile: app.logFile })
}
