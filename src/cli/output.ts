import { redact } from "../logging/redact";
import { UsageError } from "./command";

/** Anything that knows how to describe itself to the user, with an exit code. */
export interface UserFacingError {
  readonly message: string;
  readonly exitCode?: number;
}

/**
 * The one place an error turns into terminal output: `error: <message>` on
 * stderr, never a stack trace (those go to the debug log).
 */
export function printError(error: unknown): number {
  if (error instanceof UsageError) {
    process.stderr.write(`error: ${redact(error.message)}\nrun \`takopi --help\` for usage.\n`);
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${redact(message)}\n`);
  const code = (error as Partial<UserFacingError> | null)?.exitCode;
  return typeof code === "number" ? code : 1;
}
