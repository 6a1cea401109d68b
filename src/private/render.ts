/**
 * Returns a copy of `record` with its keys in sorted order, so output stays stable however the
 * caller built it.
 * @internal
 */
export function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key];
  return out;
}
