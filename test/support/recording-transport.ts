import type { EditOptions, MessageRef, RenderedParts, SendOptions, Transport } from "../../src/transport";

export type TransportCall =
  | { op: "send"; channelId: number; ref: MessageRef; parts: RenderedParts; opts: SendOptions }
  | { op: "edit"; ref: MessageRef; parts: RenderedParts; opts: EditOptions }
  | { op: "delete"; ref: MessageRef };

/** An in-memory Transport that records every call, for bridge tests that need no HTTP. */
export class RecordingTransport implements Transport {
  readonly calls: TransportCall[] = [];
  #nextId = 1000;
  /** Make the next edits fail (e.g. the message was deleted). */
  failEdits = false;

  async send(
    channelId: number,
    parts: RenderedParts,
    opts: SendOptions = {},
  ): Promise<MessageRef | undefined> {
    const ref: MessageRef = {
      channelId,
      messageId: this.#nextId++,
      ...(opts.threadId ? { threadId: opts.threadId } : {}),
    };
    this.calls.push({ op: "send", channelId, ref, parts, opts });
    if (opts.replace) this.calls.push({ op: "delete", ref: opts.replace });
    return ref;
  }

  async edit(ref: MessageRef, parts: RenderedParts, opts: EditOptions = {}): Promise<boolean> {
    if (this.failEdits) return false;
    this.calls.push({ op: "edit", ref, parts, opts });
    return true;
  }

  async delete(ref: MessageRef): Promise<boolean> {
    this.calls.push({ op: "delete", ref });
    return true;
  }

  async close(): Promise<void> {}

  /** Compact log lines like `send 1000 starting · codex · 0s`. */
  summary(): string[] {
    return this.calls.map((c) =>
      c.op === "delete" ? `delete ${c.ref.messageId}` : `${c.op} ${c.ref.messageId} ${c.parts.header}`,
    );
  }
}
