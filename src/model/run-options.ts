/** Per-run overrides chosen in chat (`/model`, `/reasoning`) or on the command line. */
export interface RunOptions {
  readonly model?: string;
  readonly reasoning?: string;
}

export const REASONING_LEVELS = ["minimal", "low", "medium", "high", "xhigh"] as const;
export type ReasoningLevel = (typeof REASONING_LEVELS)[number];
