import { Page } from "playwright-core"

const ATTEMPTS = 3

/**
 * Logs the admin in through the dashboard's login form, and returns only once
 * the server's session says so.
 *
 * Medusa v1 saves the whole session at the end of every request (its
 * express-session default `resave: true`). A request the login page started
 * before the login (a font, a chunk, the batch-jobs poll) that ends after it
 * writes back the session it read, without the admin in it: the next page
 * load finds the admin logged out and the dashboard sends it to /login. Under
 * load that happened to the browser tests' first or second page. So the form
 * is sent only once the login page is idle, and the session is checked once
 * the dashboard is idle, with a fresh attempt if a late write still undid it.
 */
export async function loginAdmin(page: Page, baseUrl: string, admin: { email: string; password: string }): Promise<void> {
  const answers: number[] = []
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    await page.goto(`${baseUrl}/app/login`, { waitUntil: "networkidle", timeout: 60_000 })
    await page.getByPlaceholder("Email").fill(admin.email)
    await page.getByPlaceholder("Password").fill(admin.password)
    await page.getByRole("button", { name: "Continue" }).click()
    await page.waitForURL(/\/app\/a\//, { timeout: 60_000 })
    await page.waitForLoadState("networkidle", { timeout: 60_000 })
    const session = await page.request.get(`${baseUrl}/admin/auth`)
    answers.push(session.status())
    if (session.ok()) return
  }
  throw new Error(`the admin session did not hold after ${ATTEMPTS} logins (GET /admin/auth answered ${answers.join(", ")})`)
}
