/**
 * Progress on stderr: a bar redrawn in place on a terminal, plain lines at
 * every tenth of the work otherwise (CI logs, pipes).
 *
 * @module
 */

/** `[#####-----]  50%` for `done` of `total`. */
export function progressBar(done: number, total: number, width = 30): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * width);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}%`;
}

/** Human-readable bytes (`12.3 MB`). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** Writes progress for a run of `total` steps to `write` (a terminal when `tty`). */
export class Progress {
  #lastTenth = -1;
  #drawn = false;

  readonly #total: number;
  readonly #tty: boolean;
  readonly #write: (text: string) => void;

  constructor(
    total: number,
    tty: boolean,
    write: (text: string) => void,
  ) {
    this.#total = total;
    this.#tty = tty;
    this.#write = write;
  }

  /** Reports `done` steps with `detail` (counts, rates). */
  update(done: number, detail: string): void {
    if (this.#tty) {
      this.#write(`\r\x1b[2K${progressBar(done, this.#total)} ${detail}`);
      this.#drawn = true;
      return;
    }
    const tenth = this.#total > 0 ? Math.floor((done / this.#total) * 10) : 10;
    if (tenth > this.#lastTenth) {
      this.#lastTenth = tenth;
      this.#write(`${progressBar(done, this.#total)} ${detail}\n`);
    }
  }

  /** Ends the bar's line on a terminal. */
  finish(): void {
    if (this.#tty && this.#drawn) this.#write("\n");
  }
}
