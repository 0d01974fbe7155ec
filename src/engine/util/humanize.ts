/** Replaces interest ids in an engine text ("your interest in pcat_… is rising") by their names. */
export function humanize(text: string, names: Map<string, string>): string {
  return text.replace(/\b(pcat|pcol|ptag|ptyp)_[A-Za-z0-9_]+/g, (id) => names.get(id) ?? id)
}
