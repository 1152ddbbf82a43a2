import type { Incoming } from "./incoming";

/** Remembers the last `capacity` keys; a bounded set for dedupe. */
class RecentKeys<K> {
  readonly #keys = new Set<K>();
  constructor(readonly capacity: number) {}

  /** Returns false if `key` was seen before; otherwise remembers it. */
  add(key: K): boolean {
    if (this.#keys.has(key)) return false;
    this.#keys.add(key);
    if (this.#keys.size > this.capacity) {
      const oldest = this.#keys.values().next().value as K;
      this.#keys.delete(oldest);
    }
    return true;
  }
}

export interface IntakePolicy {
  /** Chats allowed to drive takopi (configured chat, project chats, allowed users' DMs). */
  allowedChats(): ReadonlySet<number>;
  /** When non-empty, only these senders are heard. */
  readonly allowedUserIds: ReadonlySet<number>;
}

export type IntakeVerdict = "accept" | "other-chat" | "not-allowed-user" | "duplicate" | "bot-sender";

/**
 * Decides which updates takopi acts on. Everything not accepted is dropped
 * silently: replying to strangers would leak that the bot exists.
 */
export class Intake {
  readonly #updates = new RecentKeys<number>(4096);
  readonly #messages = new RecentKeys<string>(2048);

  constructor(readonly policy: IntakePolicy) {}

  check(incoming: Incoming): IntakeVerdict {
    if (!this.policy.allowedChats().has(incoming.chatId)) return "other-chat";
    const users = this.policy.allowedUserIds;
    if (users.size > 0 && (incoming.senderId === undefined || !users.has(incoming.senderId))) {
      return "not-allowed-user";
    }
    if (incoming.kind === "message" && incoming.senderIsBot) return "bot-sender";
    if (!this.#updates.add(incoming.updateId)) return "duplicate";
    if (incoming.kind === "message" && !this.#messages.add(`${incoming.chatId}:${incoming.messageId}`)) {
      return "duplicate";
    }
    return "accept";
  }
}
