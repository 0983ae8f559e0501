import { deepStrictEqual as deepEqual } from "node:assert/strict";
import { fakeClock } from "../../tests/support/fakes.ts";
import { Pacer } from "./pacer.ts";

function pacer(perSecond: number | undefined) {
  const clock = fakeClock(0);
  const waits: number[] = [];
  const p = new Pacer({
    perSecond,
    now: clock.now,
    sleep: (ms) => {
      waits.push(ms);
      clock.advance(ms);
      return Promise.resolve();
    },
  });
  return { p, waits, clock };
}

Deno.test("batches of 10 at 20 per second start half a second apart; time already spent counts", async () => {
  const { p, waits, clock } = pacer(20);
  await p.take(10);
  await p.take(10);
  await p.take(10);
  deepEqual(waits, [500, 500]);
  clock.advance(2_000);
  await p.take(10);
  deepEqual(waits, [500, 500], "after an idle stretch the next batch starts at once");
  await p.take(5);
  deepEqual(waits, [500, 500, 500]);
});

Deno.test("without a rate nothing waits", async () => {
  const { p, waits } = pacer(undefined);
  for (let i = 0; i < 5; i++) await p.take(10);
  deepEqual(waits, []);
});
