/** A request to stop, from SIGINT (Ctrl-C) or SIGTERM (systemd, cron's timeout, `kill`). */
export interface StopRequest {
  /** Aborted at the first signal. */
  readonly signal: AbortSignal;
  /** Which signal came, if one did. */
  received(): NodeJS.Signals | undefined;
  /** Stops listening; a later signal has its default effect again (ends the process). */
  dispose(): void;
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * Listens for the first SIGINT or SIGTERM and then lets go: work in progress can finish while a
 * second signal still ends the process at once, as an operator pressing Ctrl-C twice expects.
 */
export function listenForStop(onStop?: (signal: NodeJS.Signals) => void): StopRequest {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const on = (signal: NodeJS.Signals) => {
    dispose();
    received = signal;
    controller.abort();
    onStop?.(signal);
  };
  const dispose = () => {
    for (const s of SIGNALS) process.off(s, on);
  };
  for (const s of SIGNALS) process.on(s, on);
  return { signal: controller.signal, received: () => received, dispose };
}
