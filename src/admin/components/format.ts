// Number and date formatting shared by the pages and widgets.

export const pct = (x: number | null | undefined, digits = 0): string =>
  x === null || x === undefined || !Number.isFinite(x) ? "–" : `${(x * 100).toFixed(digits)}%`

export const num = (x: number | null | undefined, digits = 2): string =>
  x === null || x === undefined || !Number.isFinite(x) ? "–" : x.toFixed(digits)

export const int = (x: number | null | undefined): string =>
  x === null || x === undefined || !Number.isFinite(x) ? "–" : Math.round(x).toLocaleString("en-US")

export const day = (iso: string | null | undefined): string => (iso ? new Date(iso).toISOString().slice(0, 10) : "–")

export const dateTime = (iso: string | null | undefined): string =>
  iso ? new Date(iso).toISOString().slice(0, 16).replace("T", " ") : "–"

export const duration = (ms: number | null | undefined): string =>
  ms === null || ms === undefined ? "–" : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`

/** "Kitchen 41% · Garden 20%" for the strongest interests. */
export const interestsLabel = (interests: { id: string; name: string | null; weight: number }[] | null | undefined, n = 3): string =>
  (interests ?? [])
    .slice(0, n)
    .map((i) => `${i.name ?? i.id} ${pct(i.weight)}`)
    .join(" · ") || "–"

/** The message of a failed medusa-js request: Medusa answers `{ type, message }`. */
export const errorMessage = (e: unknown): string => {
  const err = e as { response?: { data?: { message?: string } }; message?: string } | null
  return err?.response?.data?.message ?? err?.message ?? String(e)
}
