// `takopi exec`: one prompt, one engine, this directory, no Telegram. Shows the
// progress lines the chat would show (stderr), then the answer and the resume
// line (stdout). `--json` prints the normalized events instead.
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { ConfigError } from "../../config/errors";
import { loadConfig, validateConfig } from "../../config/load";
import { displayPath, resolveConfigPath } from "../../config/paths";
import { buildRouter } from "../../core/engines";
import { configureLogging } from "../../logging/configure";
import { setLogLevel } from "../../logging/logger";
import type { CompletedEvent, ResumeToken } from "../../model";
import { ProgressTracker } from "../../progress/tracker";
import { joinParts, LABELS, Presenter, type RunOutcome } from "../../render/presenter";
import { partLines } from "../../render/terminal";
import { type Command, type GlobalOptions, UsageError } from "../command";
import { ExecView } from "../exec-view";

const USAGE = `usage: takopi exec [--engine E] [--resume "<resume line>"] [--json] [--cwd DIR] PROMPT

Runs PROMPT once on one engine in the current directory (or DIR), showing its
progress on stderr and printing the answer and the resume line on stdout.
PROMPT \`-\` reads the prompt from stdin.
  --engine E          codex, claude, opencode or pi (default: default_engine)
  --resume LINE       continue a thread, e.g. --resume "codex resume <id>"
  --json              print the normalized events as JSON lines instead
  --cwd DIR           run in DIR instead of the current directory

exit status: 0 done, 1 failed, 130 interrupted (Ctrl-C cancels the run).`;

export interface ExecArgs {
  readonly engine?: string;
  readonly resume?: string;
  readonly json: boolean;
  readonly cwd?: string;
  /** Undefined when no prompt was given; `-` means stdin. */
  readonly prompt?: string;
}

const VALUE_FLAGS = ["--engine", "--resume", "--cwd"] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];

export function parseExecArgs(args: readonly string[]): ExecArgs {
  const values: Partial<Record<ValueFlag, string>> = {};
  let json = false;
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      words.push(...args.slice(i + 1));
      break;
    }
    if (arg === "--json") {
      json = true;
      continue;
    }
    const flag = VALUE_FLAGS.find((f) => arg === f || arg.startsWith(`${f}=`));
    if (flag) {
      const value = arg === flag ? args[++i] : arg.slice(flag.length + 1);
      if (value === undefined || value === "") throw new UsageError(`${flag} needs a value`);
      if (values[flag] !== undefined) throw new UsageError(`${flag} given twice`);
      values[flag] = value;
      continue;
    }
    if (arg.startsWith("--") || (arg.startsWith("-") && arg !== "-")) {
      throw new UsageError(`unknown option for exec: ${arg}`);
    }
    words.push(arg);
  }
  const prompt = words.length > 0 ? words.join(" ") : undefined;
  return {
    json,
    ...(values["--engine"] ? { engine: values["--engine"].toLowerCase() } : {}),
    ...(values["--resume"] ? { resume: values["--resume"] } : {}),
    ...(values["--cwd"] ? { cwd: values["--cwd"] } : {}),
    ...(prompt !== undefined ? { prompt } : {}),
  };
}

function loadExecConfig(globals: GlobalOptions) {
  const path = resolveConfigPath(globals.configPath);
  if (!existsSync(path)) {
    // No config is fine here: every engine with its defaults.
    return { path, ...validateConfig({ transports: {} }, path) };
  }
  return loadConfig({ ...(globals.configPath ? { path: globals.configPath } : {}) });
}

function runDirectory(dir: string | undefined): string {
  if (!dir) return process.cwd();
  const path = resolve(dir);
  if (!existsSync(path) || !statSync(path).isDirectory())
    throw new UsageError(`--cwd: not a directory: ${dir}`);
  return path;
}

export async function runExec(args: ExecArgs, globals: GlobalOptions): Promise<number> {
  configureLogging({ debug: globals.debug });
  // Runner info logs would interleave with the progress lines; --debug or TAKOPI_LOG_LEVEL bring them back.
  if (!globals.debug && !process.env.TAKOPI_LOG_LEVEL) setLogLevel("warning");

  const cwd = runDirectory(args.cwd);
  const { config, path, engineErrors } = loadExecConfig(globals);
  const router = buildRouter(config, {
    engineErrors,
    configPath: displayPath(path),
    ...(args.engine ? { defaultEngine: args.engine } : {}),
  });

  let resume: ResumeToken | undefined;
  if (args.resume !== undefined) {
    resume = router.extractResume(args.resume);
    if (!resume) throw new UsageError(`--resume: not a resume line: ${args.resume}`);
  }
  let text = args.prompt === "-" ? await Bun.stdin.text() : (args.prompt ?? "");
  resume ??= router.extractResume(text);
  if (!resume && text.trim() === "")
    throw new UsageError("a prompt is required (or - to read it from stdin)");
  if (resume && args.engine && resume.engine !== args.engine) {
    throw new UsageError(
      `--engine ${args.engine} does not match the resume line, which is for ${resume.engine}`,
    );
  }
  text = router.stripResumeLines(text);
  const engine = resume?.engine ?? router.defaultEngine;
  const found = router.lookup(engine);
  if ("error" in found) throw new ConfigError(found.error);
  const runner = found.runner;

  const controller = new AbortController();
  let interrupted: number | undefined;
  const onSignal = (code: number) => () => {
    // Repeats are ignored: the runner is already stopping the engine (SIGTERM, SIGKILL after 2 s).
    interrupted ??= code;
    controller.abort();
  };

  const onInt = onSignal(130);
  const onTerm = onSignal(143);
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);

  const tracker = new ProgressTracker(engine);
  const presenter = new Presenter({ formatResume: (t) => runner.formatResume(t), cwd });
  const startedAt = performance.now();
  const elapsed = () => (performance.now() - startedAt) / 1000;
  const out = (s: string) => process.stdout.write(s);
  const err = (s: string) => process.stderr.write(s);
  const view = args.json
    ? undefined
    : new ExecView({
        tracker,
        presenter,
        write: err,
        live: process.stderr.isTTY === true,
        columns: () => process.stderr.columns ?? 80,
        elapsed,
        cwd,
      });

  let completed: CompletedEvent | undefined;
  let failure: unknown;
  view?.start();
  try {
    const request = { prompt: text, cwd, ...(resume ? { resume } : {}) };
    for await (const event of runner.run(request, controller.signal)) {
      if (args.json) out(`${JSON.stringify(event)}\n`);
      view?.update(event, tracker.note(event));
      if (event.type === "completed") {
        completed = event;
        break;
      }
    }
  } catch (error) {
    failure = error;
  } finally {
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
    view?.stop();
  }

  const outcome: RunOutcome =
    interrupted !== undefined && !completed
      ? { type: "cancelled" }
      : (completed ?? { type: "failed", error: failure ?? new Error("the engine ended without a result") });
  const final = presenter.final(tracker.snapshot(presenter.maxActions), elapsed(), outcome);
  const code = final.status === "done" ? 0 : final.status === "cancelled" ? (interrupted ?? 130) : 1;
  if (args.json) {
    if (outcome.type === "failed") err(`error: ${final.parts.body}\n`);
    return code;
  }
  view?.finish(final.status === "cancelled" ? LABELS.cancelled : final.status);
  const answer = final.status === "cancelled" ? "" : final.parts.body;
  const tail = joinParts({ header: "", body: answer, footer: partLines(final.parts.footer).join("\n") });
  if (tail) out(`${tail}\n`);
  return code;
}

export const exec: Command = {
  name: "exec",
  summary: "run one prompt on one engine here, printing progress and the answer",
  usage: USAGE,
  run: (args, globals) => runExec(parseExecArgs(args), globals),
};
