import type { Compilable, CompiledQuery } from 'kysely';

const MARK = '\u0000ncw-param:';

/**
 * A query built with Kysely once and run many times with new values. The dispatcher claims and
 * settles thousands of deliveries a pass, and building a query each time costs more CPU than
 * SQLite spends running it. The builder gets a named marker for each value; at run time the
 * values are put in their places by name. Constant values stay as built.
 */
export function reusableQuery<K extends string, R>(
  keys: readonly K[],
  // Markers stand in for values of every column type, so the builder sees them as `never`.
  build: (values: Record<K, never>) => Compilable<R>,
): (values: Record<K, unknown>) => CompiledQuery<R> {
  const markers = Object.fromEntries(keys.map((k) => [k, `${MARK}${k}`])) as unknown as Record<K, never>;
  const compiled = build(markers).compile();
  type Slot = { key: K; value?: undefined } | { key?: undefined; value: unknown };
  const slots: Slot[] = compiled.parameters.map((p) =>
    typeof p === 'string' && p.startsWith(MARK) ? { key: p.slice(MARK.length) as K } : { value: p },
  );
  for (const k of keys) {
    if (!slots.some((s) => s.key === k)) throw new Error(`reusableQuery: value "${k}" is not used by the query`);
  }
  return (values) => ({ ...compiled, parameters: slots.map((s) => (s.key === undefined ? s.value : values[s.key])) });
}
