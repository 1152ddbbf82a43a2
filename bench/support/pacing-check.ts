// Pacing as the fake Bot API saw it: per-chat gaps between writes and the busiest second overall.

export interface SeenCall {
  readonly method: string;
  /** Arrival time at the fake, ms. */
  readonly at: number;
  readonly chat_id?: number;
}

export interface PacingLimits {
  readonly privateIntervalMs: number;
  readonly groupIntervalMs: number;
  readonly globalPerSecond: number;
  /** Allowed early arrival (timer jitter), ms. */
  readonly toleranceMs: number;
}

export interface ChatPacing {
  readonly chatId: number;
  readonly calls: number;
  readonly minGapMs: number;
  readonly intervalMs: number;
  readonly ok: boolean;
}

export interface PacingReport {
  readonly chats: readonly ChatPacing[];
  /** Most outbox calls (any chat or none) arriving within one second. */
  readonly busiestSecond: number;
  readonly ok: boolean;
}

/** Calls that go through takopi's outbox; getUpdates and getMe are reads outside it. */
const OUTSIDE_OUTBOX = new Set(["getUpdates", "getMe", "getChat", "getChatMember", "getFile"]);

export function checkPacing(calls: readonly SeenCall[], limits: PacingLimits): PacingReport {
  const paced = calls.filter((c) => !OUTSIDE_OUTBOX.has(c.method)).sort((a, b) => a.at - b.at);
  const byChat = new Map<number, number[]>();
  for (const c of paced) {
    if (c.chat_id === undefined) continue;
    let times = byChat.get(c.chat_id);
    if (!times) {
      times = [];
      byChat.set(c.chat_id, times);
    }
    times.push(c.at);
  }
  const chats: ChatPacing[] = [];
  for (const [chatId, times] of byChat) {
    let minGapMs = Number.POSITIVE_INFINITY;
    for (let i = 1; i < times.length; i++) minGapMs = Math.min(minGapMs, times[i]! - times[i - 1]!);
    const intervalMs = chatId < 0 ? limits.groupIntervalMs : limits.privateIntervalMs;
    chats.push({
      chatId,
      calls: times.length,
      minGapMs,
      intervalMs,
      ok: minGapMs >= intervalMs - limits.toleranceMs,
    });
  }
  chats.sort((a, b) => a.chatId - b.chatId);
  let busiestSecond = 0;
  let lo = 0;
  const windowMs = 1000 - limits.toleranceMs;
  for (let hi = 0; hi < paced.length; hi++) {
    while (paced[hi]!.at - paced[lo]!.at >= windowMs) lo++;
    busiestSecond = Math.max(busiestSecond, hi - lo + 1);
  }
  return {
    chats,
    busiestSecond,
    ok: chats.every((c) => c.ok) && busiestSecond <= limits.globalPerSecond,
  };
}
