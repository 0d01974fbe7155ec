import { newVisitorId, VISITOR_STORAGE_KEY } from "medusa-plugin-interest/client"
import { NextRequest, NextResponse } from "next/server"

const BACKEND_URL = process.env.NEXT_PUBLIC_MEDUSA_BACKEND_URL || "http://localhost:9000"
const DEFAULT_REGION = process.env.NEXT_PUBLIC_DEFAULT_REGION || "us"
const ONE_HOUR = 3600 * 1000

// The regions' country codes, read from Medusa at most once an hour (the
// middleware runs on the edge runtime, where medusa-js does not).
let countries: { codes: string[]; at: number } | null = null

async function countryCodes(): Promise<string[]> {
  if (countries && Date.now() - countries.at < ONE_HOUR) return countries.codes
  const res = await fetch(`${BACKEND_URL}/store/regions`, { cache: "no-store" })
  const { regions } = (await res.json()) as { regions: { countries: { iso_2: string }[] }[] }
  countries = { codes: regions.flatMap((r) => r.countries.map((c) => c.iso_2.toLowerCase())), at: Date.now() }
  return countries.codes
}

/** Puts every page under the `[countryCode]` of a region, as the starter does, and gives a new visitor its id. */
export async function middleware(request: NextRequest) {
  const codes = await countryCodes()
  const [, segment = ""] = request.nextUrl.pathname.split("/")
  if (!codes.includes(segment.toLowerCase())) {
    const country = codes.includes(DEFAULT_REGION) ? DEFAULT_REGION : codes[0]
    if (!country) return new NextResponse("No region is set up in Medusa.", { status: 503 })
    const url = request.nextUrl.clone()
    url.pathname = `/${country}${request.nextUrl.pathname === "/" ? "" : request.nextUrl.pathname}`
    return NextResponse.redirect(url, 307)
  }
  if (request.cookies.has(VISITOR_STORAGE_KEY)) return NextResponse.next()

  // A new visitor gets its id before its first page renders, so that page's
  // carousels (and the impressions its clicks credit) are already this
  // visitor's; the browser client reads the same cookie (cookieStorage).
  const visitorId = newVisitorId()
  request.cookies.set(VISITOR_STORAGE_KEY, visitorId)
  const response = NextResponse.next({ request: { headers: request.headers } })
  response.cookies.set(VISITOR_STORAGE_KEY, visitorId, {
    path: "/",
    maxAge: 60 * 60 * 24 * 365,
    sameSite: "lax",
    secure: request.nextUrl.protocol === "https:",
  })
  return response
}

export const config = {
  // Not Next's own files, nor files such as /icon.svg.
  matcher: ["/((?!api|_next/static|_next/image|.*\\.[a-z0-9]+$).*)"],
}
