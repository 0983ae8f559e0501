/**
 * `deno task demo` end to end, as the README's first command runs it: a
 * subprocess with nothing but PATH and HOME, its own moto, the real deploy
 * script, tenant CLI, generator and worker. The numbers it prints must be
 * what the plan generated, read back from each customer's account; the
 * disabled tenant gets nothing; the allow-list skip shows; and moto and the
 * worker are gone afterwards.
 */
import assert from "node:assert/strict";
import { DEMO_TENANTS, GENERATOR_RUNS, type GeneratorRun, REFUSED_WRITE } from "../scripts/demo/demo_plan.ts";

const ROOT = new URL("../", import.meta.url).pathname;

/** Objects and events `tenant` gets from the runs that `keep` selects. */
function generated(tenant: string, keep: (run: GeneratorRun) => boolean = () => true) {
  let objects = 0;
  let events = 0;
  for (const run of GENERATOR_RUNS.filter((r) => r.tenantIds.includes(tenant) && keep(r))) {
    const perTenant = run.objects / run.tenantIds.length;
    objects += perTenant;
    events += perTenant * run.eventsPerObject;
  }
  return { objects, events };
}

/** The lines of the section titled `title` (up to the next blank line). */
function section(stdout: string, title: string): string[] {
  const lines = stdout.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`== ${title}`));
  assert.ok(start >= 0, `no section "${title}" in:\n${stdout}`);
  const end = lines.findIndex((l, i) => i > start && l.trim() === "");
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

const row = (lines: string[], ...cells: (string | number)[]) => {
  const pattern = new RegExp(
    `^\\s*${cells.map((c) => String(c).replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("\\s+")}$`,
  );
  const found = lines.find((l) => pattern.test(l));
  assert.ok(found, `no row ${cells.join(" | ")} in:\n${lines.join("\n")}`);
};

Deno.test({
  name: "deno task demo: deploys, onboards three tenants, drains the queue and reports what each customer got",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const env: Record<string, string> = { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "" };
    for (const name of ["DENO_DIR", "XDG_CACHE_HOME", "MOTO_SERVER_BIN"]) {
      const value = Deno.env.get(name);
      if (value) env[name] = value;
    }
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["task", "--quiet", "demo"],
      cwd: ROOT,
      env,
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, `${stdout}\n${stderr}`);

    // Per tenant: what the plan generated, by outcome.
    const refused = (r: GeneratorRun) => r.clusterIds.includes(REFUSED_WRITE.cluster);
    const main = (r: GeneratorRun) =>
      r.daysAgo === 0 && r.appNames.every((a) => a === "api" || a === "web") && !refused(r);
    const old = (r: GeneratorRun) => r.daysAgo > 14;
    const [acme, globex, initech] = DEMO_TENANTS.map((t) => t.id);
    const acmeFresh = generated(acme!, (r) => !old(r));
    const acmeOld = generated(acme!, old);
    const globexAllowed = generated(globex!, main);
    const globexOther = generated(globex!, (r) => !main(r) && !refused(r));
    const globexRefused = generated(globex!, refused);
    const initechAll = generated(initech!);
    assert.ok(acmeOld.objects > 0 && globexOther.objects > 0 && globexRefused.objects > 0, "the plan has every case");
    const perTenant = section(stdout, "Per tenant");
    row(
      perTenant,
      acme!,
      "111111111111",
      "cloudwatch",
      acmeFresh.objects + acmeOld.objects,
      acmeFresh.objects + acmeOld.objects,
      0,
      0,
      acmeFresh.events,
      `${acmeOld.events} too_old`,
    );
    row(
      perTenant,
      globex!,
      "222222222222",
      "cloudwatch + archive (s3)",
      globexAllowed.objects + globexOther.objects + globexRefused.objects,
      globexAllowed.objects,
      globexOther.objects,
      globexRefused.objects,
      2 * globexAllowed.events,
      0,
    );
    row(
      perTenant,
      initech!,
      "333333333333",
      "cloudwatch, disabled",
      initechAll.objects,
      0,
      initechAll.objects,
      0,
      0,
      0,
    );
    assert.ok(
      perTenant.includes(
        `  globex: ${globexOther.objects} skipped: application "debug-shell" is not allowed by any delivery of tenant "globex"`,
      ),
      perTenant.join("\n"),
    );
    assert.ok(perTenant.includes(`  initech: ${initechAll.objects} skipped: tenant "initech" has no enabled delivery`));

    // Where they landed: the customer accounts hold exactly what the worker reported, the disabled tenant nothing.
    const landed = section(stdout, "Where the events landed");
    row(
      landed,
      acme!,
      "cloudwatch",
      acmeFresh.events,
      acmeFresh.events,
      "CloudWatch Logs /customer/acme/k8s in 111111111111: 8 streams",
    );
    row(
      landed,
      globex!,
      "cloudwatch",
      globexAllowed.events,
      globexAllowed.events,
      "CloudWatch Logs /customer/globex/k8s in 222222222222: 8 streams",
    );
    row(
      landed,
      globex!,
      "archive",
      globexAllowed.events,
      globexAllowed.events,
      `s3://globex-log-archive/k8s/ in 222222222222: ${globexAllowed.objects} objects`,
    );
    row(
      landed,
      initech!,
      "cloudwatch",
      0,
      0,
      "nothing: log group /customer/initech/k8s does not exist in 333333333333",
    );

    // Delivered lines read back: CloudWatch messages as written, S3 lines as Vector wrote them, none for initech.
    const samples = section(stdout, "Delivered lines");
    const block = (header: RegExp) => {
      const at = samples.findIndex((l) => header.test(l));
      assert.ok(at >= 0, `no ${header} in:\n${samples.join("\n")}`);
      const lines: string[] = [];
      for (const l of samples.slice(at + 1)) {
        if (!l.startsWith("    ")) break;
        lines.push(l);
      }
      assert.ok(lines.length >= 1, `no lines under ${header}`);
      return lines;
    };
    block(/^acme: CloudWatch Logs \/customer\/acme\/k8s, stream prod-1\/api\/api-\S+ \(GetLogEvents\)$/);
    block(/^globex: CloudWatch Logs \/customer\/globex\/k8s, stream prod-1\/api\/\S+ \(GetLogEvents\)$/);
    for (
      const line of block(
        /^globex: s3:\/\/globex-log-archive\/k8s\/prod-1\/api\/\S+\.json\.gz \(GetObject, gunzipped\)$/,
      )
    ) {
      assert.match(line, /^ {4}\{"application":"api","cluster_id":"prod-1","customer_id":"globex",/);
    }
    assert.ok(!samples.some((l) => l.startsWith("initech")), "nothing was delivered for the disabled tenant");

    // The refused write: counted once per object, to the DLQ, nothing of it in globex's account (8 streams,
    // all prod-1/staging-1, above; the archive holds the allowed objects only).
    const refusedRows = section(stdout, "Refused writes");
    row(refusedRows, REFUSED_WRITE.cluster, globex!, "tenant_not_on_cluster", globexRefused.objects);
    assert.ok(
      refusedRows.includes(
        `  cluster "${REFUSED_WRITE.cluster}" is not registered for tenant "${globex}" (it serves acme)`,
      ),
      refusedRows.join("\n"),
    );
    assert.ok(!stdout.includes(`stream ${REFUSED_WRITE.cluster}/`), "no delivered line comes from the refused cluster");
    assert.match(stdout, /clusters verify: 3 clusters, registry, writer roles and stacks agree/);

    // Metrics, shutdown, cleanup.
    const metrics = section(stdout, "Worker metrics");
    row(metrics, `log_processor_events_rejected_total{reason="too_old"}`, acmeOld.events);
    // Counted on every receive until the redrive policy moves the message to the DLQ.
    const refusedCount = metrics.join("\n").match(
      /log_processor_refused_writes_total\{reason="tenant_not_on_cluster"\} (\d+)/,
    );
    assert.ok(refusedCount && Number(refusedCount[1]) >= globexRefused.objects, metrics.join("\n"));
    // The delivery age of every delivered object, from its histogram.
    const delivered = metrics.join("\n").match(/log_processor_objects_total\{outcome="delivered"\} (\d+)/);
    const age = metrics.at(-1)?.match(/^ {2}delivery age \(.*\): p50 ([\d.]+) s, p99 ([\d.]+) s over (\d+) objects$/);
    assert.ok(delivered && age, metrics.join("\n"));
    assert.equal(age[3], delivered[1]);
    assert.ok(Number(age[1]) <= Number(age[2]) && Number(age[2]) < 120, age[0]);
    const total = GENERATOR_RUNS.reduce((n, r) => n + r.objects, 0);
    assert.ok(
      stdout.includes(
        `queue drained: nothing visible or in flight, ${total} objects processed; ` +
          `dead-letter queue: ${globexRefused.objects} messages`,
      ),
    );
    assert.match(stdout, /SIGTERM → the worker finished and exited with 0/);
    assert.match(stdout, /moto and the worker are stopped$/m);
    const moto = stdout.match(/moto_server on (http:\/\/127\.0\.0\.1:\d+)/)![1];
    const worker = stdout.match(/--mode sqs --listen (127\.0\.0\.1:\d+)/)![1];
    for (const url of [moto, `http://${worker}/livez`]) {
      await assert.rejects(fetch(url!), `${url} still answers after the demo`);
    }
  },
});
