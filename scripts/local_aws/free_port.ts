/**
 * A free TCP port on 127.0.0.1 (bound, read and released: another process
 * could take it in between, which on a test machine does not happen in
 * practice).
 *
 * @module
 */

/** A port nothing listens on right now. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}
