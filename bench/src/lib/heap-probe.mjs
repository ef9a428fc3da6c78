// Preloaded into a process the bench measures (`node --expose-gc --import heap-probe.mjs`): on
// SIGUSR2 it collects garbage and writes process.memoryUsage() to $HEAP_PROBE_FILE. What stays on
// the heap is what the process holds, without the garbage RSS also counts. The product never loads it.
import { writeFileSync } from 'node:fs';
import process from 'node:process';

process.on('SIGUSR2', () => {
  globalThis.gc();
  writeFileSync(process.env.HEAP_PROBE_FILE, JSON.stringify(process.memoryUsage()));
});
