/** A message the bridge sent or received, independent of Telegram. */
export interface MessageRef {
  readonly channelId: number;
  readonly messageId: number;
  readonly threadId?: number;
  readonly senderId?: number;
}

/** Markdown split into the three parts every takopi message has. */
export interface RenderedParts {
  readonly header: string;
  readonly body: string;
  readonly footer: string;
}

export interface SendOptions {
  readonly replyTo?: MessageRef;
  readonly notify?: boolean;
  /** Send this as the new version of that message, then delete the old one. */
  readonly replace?: MessageRef;
  readonly threadId?: number;
  /** Show the inline cancel button. */
  readonly cancelButton?: boolean;
  /** Final answers may be split into several messages (message_overflow = "split"). */
  readonly final?: boolean;
}

export interface EditOptions {
  readonly cancelButton?: boolean;
  /** Wait for the edit to land (and report failure) instead of fire-and-forget. */
  readonly wait?: boolean;
  readonly final?: boolean;
}

/** What the bridge needs from a chat platform. Telegram is the only one today. */
export interface Transport {
  send(channelId: number, parts: RenderedParts, opts?: SendOptions): Promise<MessageRef | undefined>;
  edit(ref: MessageRef, parts: RenderedParts, opts?: EditOptions): Promise<boolean>;
  delete(ref: MessageRef): Promise<boolean>;
  close(): Promise<void>;
}
