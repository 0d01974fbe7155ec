import { itState, ItState } from "../support/harness"

/** What browser-global-setup.js prepared on top of the integration shop. */
export interface BrowserState extends ItState {
  browser: {
    customers: number
    events: number
    /** The first of the two training runs; `run` is the second, whose model serves. */
    previousRun: { id: string; model_version_id: string }
    run: { id: string; model_version_id: string }
  }
}

export function browserState(): BrowserState {
  const state = itState() as Partial<BrowserState> & ItState
  if (!state.browser) throw new Error("Browser state missing: run through `npm run test:browser`.")
  return state as BrowserState
}
