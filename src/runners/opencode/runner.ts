import type { JsonlEngineSpec } from "../engine-spec";
import { createJsonlRunner, type JsonlRunnerOptions } from "../jsonl-runner";
import { reasoningIgnoredNote, withLeadingEvents } from "../run-notes";
import type { Runner, RunRequest } from "../runner";
import { extractOpencodeResume, formatOpencodeResume, isOpencodeResumeLine } from "./resume";
import { decodeOpencodeLine } from "./schema";
import { OPENCODE_ENGINE, OpencodeTranslator } from "./translate";

export { extractOpencodeResume, formatOpencodeResume, isOpencodeResumeLine } from "./resume";

/** `[opencode]` in takopi.toml, as the core maps it. */
export interface OpencodeOptions {
  /** `command`: the opencode executable; default `opencode` on PATH. */
  readonly command?: string;
  /** `model` (`provider/model`); a `/model` override wins. */
  readonly model?: string;
}

/** Everything `createJsonlRunner` takes except `command`, which comes from the options. */
export type OpencodeRunnerDeps = Omit<JsonlRunnerOptions, "command">;

export const OPENCODE_INSTALL_HINT = "npm install -g opencode-ai@latest";

/** `opencode run --format json [--session <ses_id>] [--model M] -- <prompt>` (behaviour §4.3). */
export function opencodeArgv(request: RunRequest, command: string, options: OpencodeOptions = {}): string[] {
  const argv = [command, "run", "--format", "json"];
  if (request.resume) argv.push("--session", request.resume.value);
  const model = request.options?.model || options.model;
  if (model) argv.push("--model", model);
  argv.push("--", request.prompt);
  return argv;
}

export function opencodeEngineSpec(options: OpencodeOptions = {}): JsonlEngineSpec {
  return {
    engine: OPENCODE_ENGINE,
    argv: (request, command) => opencodeArgv(request, command, options),
    env: (base) => ({ ...base }),
    // opencode reads a non-TTY stdin to EOF before it starts.
    stdin: { kind: "devnull" },
    decode: decodeOpencodeLine,
    newTranslator: (request) => {
      const model = request.options?.model || options.model;
      const inner = new OpencodeTranslator({ cwd: request.cwd, ...(model ? { model } : {}) });
      return withLeadingEvents(
        inner,
        request.options?.reasoning ? [reasoningIgnoredNote(OPENCODE_ENGINE)] : [],
      );
    },
    formatResume: formatOpencodeResume,
    extractResume: extractOpencodeResume,
    isResumeLine: isOpencodeResumeLine,
    installHint: OPENCODE_INSTALL_HINT,
  };
}

export function createOpencodeRunner(options: OpencodeOptions = {}, deps: OpencodeRunnerDeps = {}): Runner {
  return createJsonlRunner(opencodeEngineSpec(options), {
    ...deps,
    ...(options.command ? { command: options.command } : {}),
  });
}
