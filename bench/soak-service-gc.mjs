// Loaded into the signal service by the soak bench only (bench/soak.ts, through NODE_OPTIONS
// `--expose-gc --import <this file>`; see serviceHeapEnv in bench/soak-probes.ts): on SIGUSR2 the
// service runs a full garbage collection and writes one line to stderr,
//   soak-heap {"heapUsed":<bytes>,"external":<bytes>,"arrayBuffers":<bytes>}
// so the bench can read the service's live heap, as CDP gives it for the pages. Plain JavaScript:
// it runs in the built service, without tsx. It changes nothing else in the service.
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  const { heapUsed, external, arrayBuffers } = process.memoryUsage();
  process.stderr.write(`soak-heap ${JSON.stringify({ heapUsed, external, arrayBuffers })}\n`);
});
