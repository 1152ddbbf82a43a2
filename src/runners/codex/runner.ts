import type { JsonlEngineSpec } from "../engine-spec";
import { createJsonlRunner, type JsonlRunnerOptions } from "../jsonl-runner";
import type { Runner, RunRequest } from "../runner";
import { extractCodexResume, formatCodexResume, isCodexResumeLine } from "./resume";
import { decodeCodexLine } from "./schema";
import { CodexTranslator } from "./translate";

export { extractCodexResume, formatCodexResume, isCodexResumeLine } from "./resume";

/** `[codex]` in takopi.toml, as the core maps it. */
export interface CodexOptions {
  /** `command`: the codex executable; default `codex` on PATH. */
  readonly command?: string;
  /** `extra_args`, placed before `exec`; default {@link DEFAULT_CODEX_EXTRA_ARGS}. */
  readonly extraArgs?: readonly string[];
  /** `profile`: passed as `--profile`, and the run's title. */
  readonly profile?: string;
}

/** Without `notify=[]` codex runs the user's desktop notify hook on every turn. */
export const DEFAULT_CODEX_EXTRA_ARGS: readonly string[] = ["-c", "notify=[]"];

export const CODEX_INSTALL_HINT = "npm install -g @openai/codex";

/**
 * `codex [extra_args] [--profile P] [--model M] [-c model_reasoning_effort=R]
 * exec --json --skip-git-repo-check --color=never (- | resume <id> -)`;
 * the prompt goes on stdin (behaviour §4.1).
 */
export function codexArgv(request: RunRequest, command: string, options: CodexOptions = {}): string[] {
  const argv = [command, ...(options.extraArgs ?? DEFAULT_CODEX_EXTRA_ARGS)];
  if (options.profile) argv.push("--profile", options.profile);
  const run = request.options;
  if (run?.model) argv.push("--model", run.model);
  if (run?.reasoning) argv.push("-c", `model_reasoning_effort=${run.reasoning}`);
  argv.push("exec", "--json", "--skip-git-repo-check", "--color=never");
  if (request.resume) argv.push("resume", request.resume.value, "-");
  else argv.push("-");
  return argv;
}

export function codexEngineSpec(options: CodexOptions = {}): JsonlEngineSpec {
  return {
    engine: "codex",
    argv: (request, command) => codexArgv(request, command, options),
    env: (base) => ({ ...base }),
    stdin: { kind: "prompt" },
    decode: decodeCodexLine,
    newTranslator: (request) => new CodexTranslator(request, options.profile || "Codex"),
    formatResume: formatCodexResume,
    extractResume: extractCodexResume,
    isResumeLine: isCodexResumeLine,
    installHint: CODEX_INSTALL_HINT,
  };
}

/** What the subprocess base needs besides the engine itself (locks, env, kill grace). */
export type CodexRunnerDeps = Omit<JsonlRunnerOptions, "command">;

/** The codex `Runner`: the JSONL subprocess base driving `codex` (or `options.command`). */
export function createCodexRunner(options: CodexOptions = {}, deps: CodexRunnerDeps = {}): Runner {
  const command = options.command ? { command: options.command } : {};
  return createJsonlRunner(codexEngineSpec(options), { ...deps, ...command });
}
