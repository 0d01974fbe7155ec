/**
 * What the price lists look like, in one text: counts, how many are in effect
 * now (so a list starting or ending changes it) and the newest change, of the
 * lists and of their prices. Price lists emit no events in Medusa 1.20, so a
 * card is labelled with this and counts as stale once it moves. Shared by the
 * catalogue's reads and the card watcher's poll, which reads it in the same
 * statement as the card table's signature.
 */
export const PRICE_LIST_SIGNATURE = `(
  (SELECT count(*) || ':' || count(*) FILTER (WHERE deleted_at IS NULL AND status = 'active'
             AND (starts_at IS NULL OR starts_at <= now()) AND (ends_at IS NULL OR ends_at > now()))
          || ':' || coalesce(max(greatest(updated_at, deleted_at))::text, '')
     FROM price_list)
  || '|' ||
  (SELECT count(*) || ':' || coalesce(max(greatest(updated_at, deleted_at))::text, '')
     FROM money_amount WHERE price_list_id IS NOT NULL))`
