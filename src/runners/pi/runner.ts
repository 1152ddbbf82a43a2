import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { JsonlEngineSpec } from "../engine-spec";
import { createJsonlRunner, type JsonlRunnerOptions } from "../jsonl-runner";
import { reasoningIgnoredNote, withLeadingEvents } from "../run-notes";
import type { Runner, RunRequest } from "../runner";
import { extractPiResume, formatPiResume, isPiResumeLine } from "./resume";
import { decodePiLine } from "./schema";
import { newPiSessionPath, type SessionPathDeps } from "./session-path";
import { PI_ENGINE, PiTranslator } from "./translate";

export { extractPiResume, formatPiResume, isPiResumeLine } from "./resume";

/** `[pi]` in takopi.toml, as the core maps it. */
export interface PiOptions {
  /** `command`: the pi executable; default `pi` on PATH. */
  readonly command?: string;
  /** `model`; a `/model` override wins. */
  readonly model?: string;
  /** `provider`, passed as `--provider`. */
  readonly provider?: string;
  /** `extra_args`, placed before everything else. */
  readonly extraArgs?: readonly string[];
}

/** Runner options plus what picks a new session's file name (clock, randomness, home). */
export type PiRunnerDeps = Omit<JsonlRunnerOptions, "command"> & Omit<SessionPathDeps, "env">;

export const PI_INSTALL_HINT = "npm install -g @mariozechner/pi-coding-agent";

/**
 * `pi [extra_args] --print --mode json [--provider P] [--model M] --session <token-or-path> <prompt>`
 * (behaviour §4.4). `session` is the token being resumed or a new session file.
 */
export function piArgv(
  request: RunRequest,
  command: string,
  session: string,
  options: PiOptions = {},
): string[] {
  const argv = [command, ...(options.extraArgs ?? []), "--print", "--mode", "json"];
  if (options.provider) argv.push("--provider", options.provider);
  const model = request.options?.model || options.model;
  if (model) argv.push("--model", model);
  // pi would read a prompt starting with `-` as an option.
  const prompt = request.prompt.startsWith("-") ? ` ${request.prompt}` : request.prompt;
  argv.push("--session", session, prompt);
  return argv;
}

/** `NO_COLOR=1` and `CI=1` unless the user set them: pi then prints plain, non-interactive output. */
export function piEnv(
  base: Readonly<Record<string, string | undefined>>,
): Record<string, string | undefined> {
  return { ...base, NO_COLOR: base.NO_COLOR ?? "1", CI: base.CI ?? "1" };
}

export function piEngineSpec(options: PiOptions = {}, deps: SessionPathDeps = {}): JsonlEngineSpec {
  // argv and the translator both need a new run's session file; whichever asks first picks it.
  const paths = new WeakMap<RunRequest, string>();
  const sessionPath = (request: RunRequest): string => {
    let path = paths.get(request);
    if (path === undefined) {
      path = newPiSessionPath(request.cwd, deps);
      paths.set(request, path);
    }
    return path;
  };
  return {
    engine: PI_ENGINE,
    argv: async (request, command) => {
      if (request.resume) return piArgv(request, command, request.resume.value, options);
      const path = sessionPath(request);
      await mkdir(dirname(path), { recursive: true });
      return piArgv(request, command, path, options);
    },
    env: piEnv,
    // pi reads a non-TTY stdin to EOF before it starts (decision 14).
    stdin: { kind: "devnull" },
    decode: decodePiLine,
    newTranslator: (request) => {
      const model = request.options?.model || options.model;
      const inner = new PiTranslator({
        cwd: request.cwd,
        ...(request.resume ? { resume: request.resume } : { sessionPath: sessionPath(request) }),
        ...(model ? { model } : {}),
        ...(options.provider ? { provider: options.provider } : {}),
      });
      return withLeadingEvents(inner, request.options?.reasoning ? [reasoningIgnoredNote(PI_ENGINE)] : []);
    },
    formatResume: formatPiResume,
    extractResume: extractPiResume,
    isResumeLine: isPiResumeLine,
    installHint: PI_INSTALL_HINT,
  };
}

export function createPiRunner(options: PiOptions = {}, deps: PiRunnerDeps = {}): Runner {
  const { homeDir, now, randomHex, ...runner } = deps;
  const spec = piEngineSpec(options, {
    ...(runner.env ? { env: runner.env } : {}),
    ...(homeDir ? { homeDir } : {}),
    ...(now ? { now } : {}),
    ...(randomHex ? { randomHex } : {}),
  });
  return createJsonlRunner(spec, { ...runner, ...(options.command ? { command: options.command } : {}) });
}
