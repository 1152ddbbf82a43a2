// What bench/bridge.ts tells its takopi child process, and what the child reports back.
// Times that cross the process boundary are wall-clock milliseconds with sub-ms precision
// (`performance.timeOrigin + performance.now()`): Bun's `process.hrtime` and `performance.now()`
// both count from the process's own start, so neither can be compared across processes.

export interface GroupBinding {
  readonly alias: string;
  readonly chatId: number;
}

/** How each mock run behaves. `latency`: one action, then a pause, then the answer. `load`: many actions. */
export type RunScript =
  | { readonly kind: "latency"; readonly holdMs: number }
  | { readonly kind: "load"; readonly events: number; readonly gapMs: number };

export interface ChildSpec {
  readonly apiRoot: string;
  readonly token: string;
  /** transports.telegram.chat_id */
  readonly chatId: number;
  readonly allowedUserIds: readonly number[];
  /** Extra group chats, allowed by binding each to a project. */
  readonly groups: readonly GroupBinding[];
  readonly projectPath: string;
  readonly script: RunScript;
}

/** Lines the child writes to stdout, one JSON object each. */
export type ChildMessage =
  | { readonly type: "ready"; readonly rssKb: number; readonly cpuUs: number }
  | {
      readonly type: "done";
      /** Prompt text → when the mock runner yielded `completed` (epochMs). */
      readonly completedAt: Readonly<Record<string, number>>;
      /** CPU (user + system) since ready, microseconds. */
      readonly cpuUs: number;
      readonly cpuTotalUs: number;
      readonly maxRssKb: number;
      readonly runs: number;
    };

export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

export function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}
