import { strictEqual as equal, throws } from "node:assert/strict";
import { cpuSecondsOfStat, resetPeakRss, sampleProcess, statusBytes } from "./proc_stats.ts";

Deno.test("CPU seconds are utime + stime, even when the command name holds spaces and parentheses", () => {
  const stat = "4242 (deno (worker) x) S 1 4242 4242 0 -1 4194560 9000 0 12 0 1234 56 0 0 20 0 9 0 777 " +
    "1000000 5000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
  equal(cpuSecondsOfStat(stat), 12.9);
  throws(() => cpuSecondsOfStat("garbage"));
});

Deno.test("status fields are read in kB and returned in bytes", () => {
  const status = "Name:\tdeno\nVmPeak:\t  900000 kB\nVmHWM:\t  150000 kB\nVmRSS:\t   64000 kB\n";
  equal(statusBytes(status, "VmHWM"), 150_000 * 1024);
  equal(statusBytes(status, "VmRSS"), 64_000 * 1024);
  throws(() => statusBytes(status, "VmSwap"), /no VmSwap/);
});

Deno.test("a process can be sampled and its peak RSS reset", async () => {
  // A child whose peak is far above its RSS: it touches 128 MB, frees it (Python unmaps large blocks at once),
  // says so, and waits. Sampling this test's own process would race its own allocations.
  const child = new Deno.Command("python3", {
    args: ["-c", "import sys\nb = bytearray(128_000_000)\ndel b\nprint('freed', flush=True)\nsys.stdin.read()"],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  try {
    const reader = child.stdout.getReader();
    await reader.read(); // "freed"
    reader.releaseLock();
    const before = await sampleProcess(child.pid);
    equal(before.cpuSeconds >= 0, true);
    equal(before.peakRssBytes - before.rssBytes > 100_000_000, true, "the child's peak is its freed 128 MB");
    await resetPeakRss(child.pid);
    const after = await sampleProcess(child.pid);
    equal(after.peakRssBytes - after.rssBytes < 50_000_000, true, "after the reset the peak is the current RSS");
  } finally {
    await child.stdin.close();
    await child.stdout.cancel().catch(() => {});
    await child.status;
  }
});
