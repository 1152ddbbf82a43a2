/** Engine identifiers built into takopi. Plugins may add more at run time, so events carry a plain string. */
export const ENGINE_IDS = ["codex", "claude", "opencode", "pi"] as const;
export type BuiltinEngineId = (typeof ENGINE_IDS)[number];
export type EngineId = string;

/** Identifies one agent thread: which engine, and the engine's own session/thread id. */
export interface ResumeToken {
  readonly engine: EngineId;
  readonly value: string;
}

/** `engine:value`, the key used for per-thread locks and the scheduler. */
export function threadKey(token: ResumeToken): string {
  return `${token.engine}:${token.value}`;
}

export function sameToken(a: ResumeToken | undefined, b: ResumeToken | undefined): boolean {
  return a !== undefined && b !== undefined && a.engine === b.engine && a.value === b.value;
}
