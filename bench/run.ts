/**
 * `deno task bench`: every benchmark, one JSON report on stdout. Starts its
 * own moto unless MOTO_ENDPOINT is set.
 *
 * @module
 */
import { runWorkerBench } from "./worker_bench.ts";

console.log(JSON.stringify({ run_modes: await runWorkerBench() }, null, 2));
Deno.exit(0);
