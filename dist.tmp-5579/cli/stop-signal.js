// ../../work/wt/h-studio/src/cli/stop-signal.ts
var SIGNALS = ["SIGINT", "SIGTERM"];
function listenForStop(onStop) {
  const controller = new AbortController();
  let received;
  const on = (signal) => {
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
export {
  listenForStop
};
//# sourceMappingURL=stop-signal.js.map
