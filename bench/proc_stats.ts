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
