import { deepStrictEqual as deepEqual, strictEqual as equal } from "node:assert/strict";
import { FakeQueueAdmin } from "../../tests/support/fake_queue_admin.ts";
import type { MoveTask } from "./queue_admin.ts";
import { isUnsupportedOperation, waitForMoveTask } from "./redrive_task.ts";

Deno.test("an endpoint without the API is told apart from a real failure", () => {
  const err = (name: string, status: number, message = "x") =>
    Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
  for (
    const e of [
      err("UnsupportedOperation", 400),
      err("InvalidAction", 400),
      err("Whatever", 501),
      err("SyntaxError", 500),
    ]
  ) {
    equal(isUnsupportedOperation(e), true, e.name);
  }
  for (const e of [err("AccessDenied", 403), err("ServiceUnavailable", 503), err("ResourceNotFoundException", 400)]) {
    equal(isUnsupportedOperation(e), false, e.name);
  }
});

Deno.test("waiting polls the newest task until it is no longer running", async () => {
  const admin = new FakeQueueAdmin();
  const states: MoveTask[][] = [
    [{ status: "RUNNING", moved: 1, toMove: 3 }],
    [{ status: "CANCELLING", moved: 2, toMove: 3 }],
    [{ status: "CANCELLED", moved: 2, toMove: 3 }, { status: "COMPLETED", moved: 9 }],
  ];
  admin.listMoveTasks = () => Promise.resolve(states.shift()!);
  const seen: string[] = [];
  const sleeps: number[] = [];
  const final = await waitForMoveTask(admin, "arn:aws:sqs:eu-west-1:123456789012:dlq", {
    pollMs: 250,
    sleep: (ms) => (sleeps.push(ms), Promise.resolve()),
    progress: (t) => seen.push(t.status),
  });
  deepEqual([final.status, seen, sleeps], ["CANCELLED", ["RUNNING", "CANCELLING", "CANCELLED"], [250, 250]]);
});
