/**
 * CPU time and resident memory of a process as the OS counts them (Linux
 * `/proc/<pid>/stat` and `/proc/<pid>/status`), for the whole-process bench:
 * every thread of the process, not what the process says about itself.
 *
 * @module
 */

/** Clock ticks per second of `/proc/<pid>/stat` (USER_HZ; 100 on every Linux we run on). */
export const CLOCK_TICKS_PER_SECOND = 100;

/** User plus system CPU seconds from the text of `/proc/<pid>/stat`. */
export function cpuSecondsOfStat(stat: string): number {
  // The command name (field 2) is in parentheses and may hold spaces: count from after it.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`unreadable stat: ${stat.slice(0, 80)}`);
  return (utime + stime) / CLOCK_TICKS_PER_SECOND;
}

/** A `kB` field (VmHWM, VmRSS, …) of `/proc/<pid>/status`, in bytes. */
export function statusBytes(status: string, field: string): number {
  const m = status.match(new RegExp(`^${field}:\\s+(\\d+) kB$`, "m"));
  if (!m) throw new Error(`no ${field} in status`);
  return Number(m[1]) * 1024;
}

/** What the OS says about a process at one moment. */
export interface ProcSample {
  readonly cpuSeconds: number;
  /** Resident set size now. */
  readonly rssBytes: number;
  /** Peak resident set size since start or since {@link resetPeakRss}. */
  readonly peakRssBytes: number;
}

/** Reads CPU seconds, RSS and peak RSS of `pid`. */
export async function sampleProcess(pid: number): Promise<ProcSample> {
  const [stat, status] = await Promise.all([
    Deno.readTextFile(`/proc/${pid}/stat`),
    Deno.readTextFile(`/proc/${pid}/status`),
  ]);
  return {
    cpuSeconds: cpuSecondsOfStat(stat),
    rssBytes: statusBytes(status, "VmRSS"),
    peakRssBytes: statusBytes(status, "VmHWM"),
  };
}

/** Resets the peak RSS (VmHWM) of `pid` to its current RSS (Linux ≥ 4.0, `clear_refs` 5). */
export async function resetPeakRss(pid: number): Promise<void> {
  await Deno.writeTextFile(`/proc/${pid}/clear_refs`, "5");
}

/**
 * CPU seconds of each live thread of `pid`, summed by thread name (`comm`:
 * the main JS thread is named after the executable, V8's helpers `V8 DefaultWorke`,
 * tokio's `tokio-runtime-w`). A thread that ended between two samples drops out,
 * so compare the named threads, and the process total for everything.
 */
export async function threadCpuSeconds(pid: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for await (const entry of Deno.readDir(`/proc/${pid}/task`)) {
    try {
      const [stat, comm] = await Promise.all([
        Deno.readTextFile(`/proc/${pid}/task/${entry.name}/stat`),
        Deno.readTextFile(`/proc/${pid}/task/${entry.name}/comm`),
      ]);
      const name = comm.trim();
      out[name] = (out[name] ?? 0) + cpuSecondsOfStat(stat);
    } catch { /* the thread ended */ }
  }
  return out;
}

/** CPU seconds by thread name between two {@link threadCpuSeconds} samples (names present in both). */
export function threadCpuDelta(
  before: Readonly<Record<string, number>>,
  after: Readonly<Record<string, number>>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, seconds] of Object.entries(after)) {
    const delta = seconds - (before[name] ?? 0);
    if (delta > 0) out[name] = Number(delta.toFixed(2));
  }
  return out;
}
