export const ACTION_KINDS = [
  "command",
  "tool",
  "file_change",
  "web_search",
  "subagent",
  "note",
  "turn",
  "warning",
  "telemetry",
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export type ChangeKind = "add" | "delete" | "update" | (string & {});

export interface FileChange {
  readonly path: string;
  readonly kind: ChangeKind;
}

/**
 * Free-form facts about an action. The renderer reads `exit_code` and `changes`;
 * everything else is for logs and `takopi exec --json`.
 */
export interface ActionDetail {
  readonly exit_code?: number | null;
  readonly changes?: readonly FileChange[];
  readonly [key: string]: unknown;
}

/** One thing the agent did or is doing. `id` is stable within a run. */
export interface Action {
  readonly id: string;
  readonly kind: ActionKind;
  readonly title: string;
  readonly detail?: ActionDetail;
}
