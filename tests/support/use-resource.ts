import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startSmtpSink, type SmtpSink } from './smtp-sink.ts';
import { tempProject, type TempProject } from './temp-project.ts';

/**
 * Starts a resource before the enclosing describe's tests and closes it after them. Returns a
 * stand-in that forwards every property to the started resource, so a test writes `h.url` as
 * if it held the thing itself, and a describe needs no `let`, `beforeAll` and `afterAll` of
 * its own. Reading it outside a test (before the start) throws, saying so. (Not in
 * temp-project.ts: the benchmarks import that file, and must not load vitest.)
 */
export function useResource<T extends object>(
  start: () => Promise<T>,
  close: (resource: T) => Promise<void>,
  { each = false }: { each?: boolean } = {},
): T {
  let current: T | undefined;
  // `each`: a fresh one for every test, where tests leave the resource changed.
  (each ? beforeEach : beforeAll)(async () => {
    current = await start();
  });
  (each ? afterEach : afterAll)(async () => {
    if (current) await close(current);
    current = undefined;
  });
  const started = (): T => {
    if (!current) throw new Error('used outside a test: the resource starts in beforeAll and closes in afterAll');
    return current;
  };
  return new Proxy({} as T, {
    get(_, key) {
      const target = started();
      const value: unknown = Reflect.get(target, key, target);
      // Methods run on the resource itself: classes with private state (a browser) need their own `this`.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
    set: (_, key, value) => Reflect.set(started(), key, value),
    has: (_, key) => Reflect.has(started(), key),
    ownKeys: () => Reflect.ownKeys(started()),
    getOwnPropertyDescriptor: (_, key) => {
      const d = Reflect.getOwnPropertyDescriptor(started(), key);
      return d && { ...d, configurable: true };
    },
  });
}

/** A temp project (see tempProject) for the enclosing describe's tests, or for each test with `each`. */
export function useTempProject(env: Record<string, string> = {}, options: { each?: boolean } = {}): TempProject {
  return useResource(
    () => tempProject(env),
    (tp) => tp.cleanup(),
    options,
  );
}

/** The SMTP sink (see startSmtpSink) for the enclosing describe's tests, closed after them. */
export function useSmtpSink(): SmtpSink {
  return useResource(startSmtpSink, (sink) => sink.close());
}
