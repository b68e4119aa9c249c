// Peak resident memory of this process, for the benchmark scripts (data-bench.mjs, the root
// bench/memory-child.mjs).
import { readFileSync } from 'node:fs';

/**
 * This process's peak resident set (bytes): VmHWM from /proc/self/status where there is one. Linux
 * carries getrusage's maxRSS across exec, so a child's maxRSS can be its parent's peak; VmHWM
 * belongs to the process's own address space. Elsewhere, maxRSS.
 */
export function peakRssBytes() {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m !== null) return Number(m[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}
