export type Level = "debug" | "info" | "warning" | "error" | "critical";

export const LEVEL_RANK: Readonly<Record<Level, number>> = {
  debug: 10,
  info: 20,
  warning: 30,
  error: 40,
  critical: 50,
};

const ALIASES: Readonly<Record<string, Level>> = {
  debug: "debug",
  info: "info",
  warning: "warning",
  warn: "warning",
  error: "error",
  critical: "critical",
  fatal: "critical",
};

/** `TAKOPI_LOG_LEVEL` value → level; case-insensitive, `undefined` when unknown or empty. */
export function parseLevel(value: string | undefined): Level | undefined {
  if (!value) return undefined;
  return ALIASES[value.trim().toLowerCase()];
}
