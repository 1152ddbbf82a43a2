import type { IncomingMessage } from "./incoming";

export interface PendingPrompt {
  readonly message: IncomingMessage;
  readonly forwards: IncomingMessage[];
}

/**
 * Holds a prompt briefly so that messages the user forwards right after it are
 * attached to it (behaviour §3.10). Unlike the original, a second prompt in
 * the window does not drop the first: the first runs at once (decisions.md 7).
 */
export class ForwardCoalescer {
  readonly #pending = new Map<string, { prompt: PendingPrompt; timer: ReturnType<typeof setTimeout> }>();

  constructor(
    private readonly windowMs: number,
    private readonly dispatch: (prompt: PendingPrompt) => void,
  ) {}

  static key(m: IncomingMessage): string {
    return `${m.chatId}:${m.threadId ?? 0}:${m.senderId ?? 0}`;
  }

  /** A prompt candidate. Dispatched now when coalescing cannot apply. */
  addPrompt(message: IncomingMessage): void {
    if (this.windowMs <= 0 || message.senderId === undefined) {
      this.dispatch({ message, forwards: [] });
      return;
    }
    const key = ForwardCoalescer.key(message);
    this.flush(key);
    const prompt: PendingPrompt = { message, forwards: [] };
    this.#pending.set(key, { prompt, timer: setTimeout(() => this.flush(key), this.windowMs) });
  }

  /** A forwarded message: attached to the sender's pending prompt. Returns false if there was none. */
  addForward(message: IncomingMessage): boolean {
    const key = ForwardCoalescer.key(message);
    const entry = this.#pending.get(key);
    if (!entry || message.text.trim() === "") return false;
    entry.prompt.forwards.push(message);
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => this.flush(key), this.windowMs);
    return true;
  }

  /** Drops the sender's pending prompt (e.g. `/new`). Returns it so the caller can tell the user. */
  cancel(key: string): PendingPrompt | undefined {
    const entry = this.#pending.get(key);
    if (!entry) return undefined;
    clearTimeout(entry.timer);
    this.#pending.delete(key);
    return entry.prompt;
  }

  flush(key: string): void {
    const entry = this.#pending.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.#pending.delete(key);
    this.dispatch(entry.prompt);
  }

  /** Removes and returns every pending prompt without dispatching (shutdown). */
  takeAll(): PendingPrompt[] {
    const all = [...this.#pending.values()];
    for (const entry of all) clearTimeout(entry.timer);
    this.#pending.clear();
    return all.map((entry) => entry.prompt);
  }

  flushAll(): void {
    for (const key of [...this.#pending.keys()]) this.flush(key);
  }

  get size(): number {
    return this.#pending.size;
  }
}

/** `<prompt>\n\n<fwd1>\n\n<fwd2>…`, forwards in message order. */
export function coalescedText(prompt: PendingPrompt): string {
  const forwards = [...prompt.forwards].sort((a, b) => a.messageId - b.messageId).map((m) => m.text);
  return [prompt.message.text, ...forwards].filter((t) => t !== "").join("\n\n");
}
