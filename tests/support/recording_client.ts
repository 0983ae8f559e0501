/**
 * A stand-in for an AWS SDK client that records every command it is sent
 * (class name and exact input) and answers from a script, for exact-input
 * unit tests of the SDK adapters.
 *
 * @module
 */

/** One command as the adapter built it. */
export interface SentCommand {
  readonly command: string;
  readonly input: unknown;
}

/** Answers one command: its output, or a thrown error. */
export type Answer = (command: string, input: Record<string, unknown>) => unknown;

/** Records commands; `answer` gives each one's output (or throws). */
export class RecordingClient {
  readonly sent: SentCommand[] = [];
  destroyed = false;
  readonly #answer: Answer;

  constructor(answer: Answer = () => ({})) {
    this.#answer = answer;
  }

  send(command: { readonly input: unknown }): Promise<never> {
    const name = command.constructor.name;
    const input = structuredClone(command.input) as Record<string, unknown>;
    this.sent.push({ command: name, input });
    try {
      return Promise.resolve(this.#answer(name, input) as never);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  destroy(): void {
    this.destroyed = true;
  }

  /** The client typed as what an adapter takes. */
  as<T>(): T {
    return this as unknown as T;
  }
}
