import { execFileSync } from "child_process"
import fs from "fs"
import os from "os"
import path from "path"
import { chromium, Browser, BrowserContext, Page } from "playwright-core"

export const SCREENSHOTS = path.resolve(__dirname, "..", "..", "docs", "screenshots")

/** The system's Chromium (Debian's /usr/bin/chromium); a browser is never downloaded. */
export function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH
  if (fromEnv) return fromEnv
  try {
    return execFileSync("which", ["chromium"], { encoding: "utf8" }).trim()
  } catch {
    throw new Error("No chromium on PATH: install Debian's `chromium` package (apt-get install -y chromium).")
  }
}

export interface RunningBrowser {
  browser: Browser
  context: BrowserContext
  page: Page
  /** Errors the page threw or logged, to fail a test on a broken page. */
  pageErrors: string[]
  close(): Promise<void>
}

/**
 * Launches headless Chromium with a fresh profile (its own user-data-dir, so
 * no cookies or localStorage carry over between tests) and opens a page.
 */
export async function launch(): Promise<RunningBrowser> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "interest-chromium-"))
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  })
  const page = context.pages()[0] ?? (await context.newPage())
  const pageErrors: string[] = []
  page.on("pageerror", (e) => pageErrors.push(e.message))
  page.on("console", (m) => {
    if (m.type() === "error") pageErrors.push(m.text())
  })
  return {
    browser: context.browser() as Browser,
    context,
    page,
    pageErrors,
    async close() {
      await context.close()
      fs.rmSync(userDataDir, { recursive: true, force: true })
    },
  }
}

export function screenshotPath(name: string): string {
  fs.mkdirSync(SCREENSHOTS, { recursive: true })
  return path.join(SCREENSHOTS, name)
}

/**
 * The admin scrolls inside its own container, so a full-page screenshot would
 * cut the page off: grow the viewport to the content first (at most 3000 px).
 */
export async function screenshotWhole(page: Page, name: string): Promise<void> {
  const height = await page.evaluate(() =>
    Math.min(3000, Math.max(...Array.from(document.querySelectorAll("*"), (e) => e.scrollHeight + 80)))
  )
  const grown = Math.max(900, height)
  await page.setViewportSize({ width: 1280, height: grown })
  // Laid out at the new size: the window reports it, then two frames are painted.
  await page.waitForFunction((h) => window.innerHeight === h, grown)
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))))
  await page.screenshot({ path: screenshotPath(name) })
  await page.setViewportSize({ width: 1280, height: 900 })
}
