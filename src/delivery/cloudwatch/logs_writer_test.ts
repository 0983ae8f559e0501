import { deepStrictEqual as deepEqual } from "node:assert/strict";
import { countRejected, type RejectedInfo } from "./logs_writer.ts";

/** Reference: classify each event on its own; too old wins over expired, which wins over too new. */
function reference(info: RejectedInfo, n: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    let reason: string | undefined;
    if (info.tooOldLogEventEndIndex !== undefined && i <= info.tooOldLogEventEndIndex) reason = "too_old";
    else if (info.expiredLogEventEndIndex !== undefined && i <= info.expiredLogEventEndIndex) reason = "expired";
    else if (info.tooNewLogEventStartIndex !== undefined && i >= info.tooNewLogEventStartIndex) reason = "too_new";
    if (reason) counts[reason] = (counts[reason] ?? 0) + 1;
  }
  return counts;
}

Deno.test("no rejectedLogEventsInfo means nothing was refused", () => {
  deepEqual(countRejected(undefined, 10), {});
  deepEqual(countRejected({}, 10), {});
});

Deno.test("typical responses", () => {
  deepEqual(countRejected({ tooOldLogEventEndIndex: 2 }, 10), { too_old: 3 });
  deepEqual(countRejected({ tooNewLogEventStartIndex: 7 }, 10), { too_new: 3 });
  deepEqual(countRejected({ expiredLogEventEndIndex: 0 }, 10), { expired: 1 });
  deepEqual(countRejected({ tooOldLogEventEndIndex: 1, expiredLogEventEndIndex: 4, tooNewLogEventStartIndex: 9 }, 10), {
    too_old: 2,
    expired: 3,
    too_new: 1,
  });
});

Deno.test("every combination of indices (incl. out of range) matches a per-event reference", () => {
  const n = 5;
  const values = [undefined, -1, 0, 1, 2, 3, 4, 5, 7];
  let checked = 0;
  for (const tooOld of values) {
    for (const expired of values) {
      for (const tooNew of values) {
        const info: RejectedInfo = {
          ...(tooOld !== undefined ? { tooOldLogEventEndIndex: tooOld } : {}),
          ...(expired !== undefined ? { expiredLogEventEndIndex: expired } : {}),
          ...(tooNew !== undefined ? { tooNewLogEventStartIndex: tooNew } : {}),
        };
        const counts = countRejected(info, n);
        deepEqual(counts, reference(info, n), JSON.stringify(info));
        const total = Object.values(counts).reduce((a, b) => a + b, 0);
        if (total > n) throw new Error(`more refused than sent: ${JSON.stringify(info)}`);
        checked++;
      }
    }
  }
  deepEqual(checked, values.length ** 3);
});

Deno.test("a batch of one event", () => {
  deepEqual(countRejected({ tooNewLogEventStartIndex: 0 }, 1), { too_new: 1 });
  deepEqual(countRejected({ tooOldLogEventEndIndex: 0 }, 1), { too_old: 1 });
  deepEqual(countRejected({ tooNewLogEventStartIndex: 1 }, 1), {});
});
