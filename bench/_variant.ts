import { processBench } from "./process_bench.ts";
const env = JSON.parse(Deno.args[0]);
const r = await processBench({ largeMib: [8, 256], env });
console.log(JSON.stringify(r));
