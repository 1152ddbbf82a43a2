/** Flags every command understands, parsed before the command itself. */
export interface GlobalOptions {
  /** `--config PATH` or `TAKOPI_CONFIG`; undefined means the default `~/.takopi/takopi.toml`. */
  readonly configPath?: string;
  readonly debug: boolean;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Shown by `takopi <name> --help`. */
  readonly usage: string;
  /** Returns the process exit code. Errors meant for the user are printed here, not thrown. */
  run(args: readonly string[], globals: GlobalOptions): Promise<number>;
}

/** Thrown for a mistyped command line; printed as `error: …` plus a usage hint, exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
