/**
 * The dev split: each customer's last active period (the real test period) is cut
 * off before anything else sees the events, so the whole protocol runs one period
 * earlier and options can be tuned without ever looking at the test.
 */
import { PeriodUnit, periodOf } from "../data/periods"
import { CatalogProduct, InterestEvent } from "../types"

export type Split = "test" | "dev"

export const SPLITS: readonly Split[] = ["test", "dev"]

export function isSplit(value: string): value is Split {
  return (SPLITS as readonly string[]).includes(value)
}

/**
 * Every event except those in its customer's last active period. A customer active
 * in one period only has nothing left and drops out. Order of the kept events is
 * unchanged.
 */
export function dropLastActivePeriod(events: InterestEvent[], unit: PeriodUnit): InterestEvent[] {
  // The latest period, not the period of the last row: rows may come in any order.
  const last = new Map<string, number>()
  for (const e of events) {
    const p = periodOf(e.timestamp, unit)
    const seen = last.get(e.customerId)
    if (seen === undefined || p > seen) last.set(e.customerId, p)
  }
  return events.filter((e) => periodOf(e.timestamp, unit) < (last.get(e.customerId) as number))
}

/**
 * The catalogue minus the products known only from removed events. A CSV's catalogue
 * is built from all of its rows, so a product first touched in someone's test period
 * would otherwise still tell the dev run it exists. Products without any event (a
 * real shop's untouched catalogue) stay.
 */
export function catalogWithoutRemovedOnly(
  catalog: CatalogProduct[],
  all: InterestEvent[],
  kept: InterestEvent[]
): CatalogProduct[] {
  const touched = new Set<string>()
  for (const e of all) touched.add(e.productId)
  const stillTouched = new Set<string>()
  for (const e of kept) stillTouched.add(e.productId)
  return catalog.filter((p) => !touched.has(p.id) || stillTouched.has(p.id))
}

/** What the dev split removed. */
export interface DevSplitReport {
  removedEvents: number
  /** Customers active in one period only: nothing is left to evaluate them on. */
  removedCustomers: number
  /** Catalogue products known only from removed events. */
  removedProducts: number
}

export function applyDevSplit(
  events: InterestEvent[],
  catalog: CatalogProduct[],
  unit: PeriodUnit
): { events: InterestEvent[]; catalog: CatalogProduct[]; report: DevSplitReport } {
  const kept = dropLastActivePeriod(events, unit)
  const keptCatalog = catalogWithoutRemovedOnly(catalog, events, kept)
  const customers = (list: InterestEvent[]): number => new Set(list.map((e) => e.customerId)).size
  return {
    events: kept,
    catalog: keptCatalog,
    report: {
      removedEvents: events.length - kept.length,
      removedCustomers: customers(events) - customers(kept),
      removedProducts: catalog.length - keptCatalog.length,
    },
  }
}
