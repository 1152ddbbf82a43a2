import type { JsonlEngineSpec } from "../engine-spec";
import { createJsonlRunner, type JsonlRunnerOptions } from "../jsonl-runner";
import { reasoningIgnoredNote, withLeadingEvents } from "../run-notes";
import type { Runner, RunRequest } from "../runner";
import { extractClaudeResume, formatClaudeResume, isClaudeResumeLine } from "./resume";
import { decodeClaudeLine } from "./schema";
import { ClaudeTranslator } from "./translate";

export { extractClaudeResume, formatClaudeResume, isClaudeResumeLine } from "./resume";

/** `[claude]` in takopi.toml, as the core maps it. */
export interface ClaudeOptions {
  /** `command`: the claude executable; default `claude` on PATH. */
  readonly command?: string;
  /** `model`; a `/model` override wins over it. */
  readonly model?: string;
  /** `allowed_tools`, joined with commas into `--allowedTools`; omitted when empty. */
  readonly allowedTools?: readonly string[];
  /** `dangerously_skip_permissions`. */
  readonly dangerouslySkipPermissions?: boolean;
  /** `use_api_billing`: keep `ANTHROPIC_API_KEY` in the environment (else it is removed, so the subscription is used). */
  readonly useApiBilling?: boolean;
}

export const CLAUDE_INSTALL_HINT = "npm install -g @anthropic-ai/claude-code";

/**
 * `claude -p --output-format stream-json --verbose [--resume <id>] [--model M]
 * [--allowedTools a,b] [--dangerously-skip-permissions] -- <prompt>`; stdin closed
 * (behaviour §4.2). `--` keeps a prompt starting with `-` from being read as a flag.
 */
export function claudeArgv(request: RunRequest, command: string, options: ClaudeOptions = {}): string[] {
  const argv = [command, "-p", "--output-format", "stream-json", "--verbose"];
  if (request.resume) argv.push("--resume", request.resume.value);
  const model = request.options?.model || options.model;
  if (model) argv.push("--model", model);
  if (options.allowedTools && options.allowedTools.length > 0) {
    argv.push("--allowedTools", options.allowedTools.join(","));
  }
  if (options.dangerouslySkipPermissions === true) argv.push("--dangerously-skip-permissions");
  argv.push("--", request.prompt);
  return argv;
}

/** takopi's environment, minus `ANTHROPIC_API_KEY` unless API billing is wanted. */
export function claudeEnv(
  base: Readonly<Record<string, string | undefined>>,
  options: ClaudeOptions = {},
): Record<string, string | undefined> {
  const env = { ...base };
  if (options.useApiBilling !== true) delete env.ANTHROPIC_API_KEY;
  return env;
}

export function claudeEngineSpec(options: ClaudeOptions = {}): JsonlEngineSpec {
  return {
    engine: "claude",
    argv: (request, command) => claudeArgv(request, command, options),
    env: (base) => claudeEnv(base, options),
    stdin: { kind: "closed" },
    decode: decodeClaudeLine,
    newTranslator: (request) => {
      const translator = new ClaudeTranslator(request);
      // claude has no reasoning knob: say so before anything else (behaviour §4.7).
      return request.options?.reasoning
        ? withLeadingEvents(translator, [reasoningIgnoredNote("claude")])
        : translator;
    },
    formatResume: formatClaudeResume,
    extractResume: extractClaudeResume,
    isResumeLine: isClaudeResumeLine,
    installHint: CLAUDE_INSTALL_HINT,
  };
}

/** What the subprocess base needs besides the engine itself (locks, env, kill grace). */
export type ClaudeRunnerDeps = Omit<JsonlRunnerOptions, "command">;

/** The claude `Runner`: the JSONL subprocess base driving `claude` (or `options.command`). */
export function createClaudeRunner(options: ClaudeOptions = {}, deps: ClaudeRunnerDeps = {}): Runner {
  const command = options.command ? { command: options.command } : {};
  return createJsonlRunner(claudeEngineSpec(options), { ...deps, ...command });
}
