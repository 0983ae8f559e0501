/**
 * Seeded randomness for the log generator, so `--seed` reproduces a run
 * exactly (names, sizes, messages, object keys). Built on the benchmark's
 * mulberry32 generator.
 *
 * @module
 */
import { prng } from "../../bench/vector_data.ts";

/** Kubernetes' alphabet for generated name suffixes (no vowels, no look-alikes). */
const NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** A seeded source of random values. */
export class Random {
  readonly #next: () => number;

  constructor(readonly seed: number) {
    this.#next = prng(seed);
  }

  /** A float in [0, 1). */
  float(): number {
    return this.#next();
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.#next() * (max - min + 1));
  }

  /** A float in [min, max). */
  between(min: number, max: number): number {
    return min + this.#next() * (max - min);
  }

  /** One element of `items`. */
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.#next() * items.length)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }

  /** `length` characters of Kubernetes' name-suffix alphabet, as in `api-7f9c8d6b5-x2k9p`. */
  nameSuffix(length: number): string {
    let out = "";
    for (let i = 0; i < length; i++) out += NAME_ALPHABET[Math.floor(this.#next() * NAME_ALPHABET.length)];
    return out;
  }

  /** `length` lowercase hex digits. */
  hex(length: number): string {
    let out = "";
    for (let i = 0; i < length; i++) out += Math.floor(this.#next() * 16).toString(16);
    return out;
  }

  /** A version 4 UUID made of seeded bits. */
  uuid(): string {
    const h = this.hex(32).split("");
    h[12] = "4";
    h[16] = "89ab"[parseInt(h[16] ?? "0", 16) & 3] ?? "8";
    const s = h.join("");
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}
