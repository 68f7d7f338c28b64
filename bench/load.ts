/**
 * The HTTP benchmarks' load generator: autocannon runs in a child process (the same script,
 * started with `--client URL --seconds S --connections C`), so the client never shares an
 * event loop with the server it measures.
 */
import { fork } from 'node:child_process';
import type autocannon from 'autocannon';

export interface LoadFigure {
  requests: number;
  rps: number;
  p50ms: number;
  p99ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
}

/** Forks `script` as the client against `url` and resolves with its autocannon summary. */
export function forkLoad(script: string, url: string, seconds: number, connections: number): Promise<LoadFigure> {
  return new Promise((resolve, reject) => {
    const child = fork(script, ['--client', url, '--seconds', String(seconds), '--connections', String(connections)], {
      execArgv: ['--import', 'tsx'],
    });
    child.once('message', (m) => {
      const r = m as autocannon.Result;
      resolve({
        requests: r.requests.total,
        rps: r.requests.average,
        p50ms: r.latency.p50,
        p99ms: r.latency.p99,
        maxMs: r.latency.max,
        non2xx: r.non2xx,
        errors: r.errors,
      });
    });
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`the load generator exited with ${code}`)));
  });
}
