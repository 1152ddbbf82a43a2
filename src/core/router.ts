import type { EngineId, ResumeToken } from "../model";
import type { Runner } from "../runners/runner";
import type { EngineDirectory } from "./dispatcher";

/**
 * `ok`: ready. `bad_config`: its config table was invalid, so it runs with
 * defaults (still usable, shown as misconfigured). `missing_cli`: its CLI is
 * not installed (not usable, but its resume lines are still recognised).
 * `load_error`: it could not be built at all (no runner).
 */
export type EngineStatus = "ok" | "missing_cli" | "bad_config" | "load_error";

export interface RunnerEntry {
  readonly engine: EngineId;
  readonly runner?: Runner;
  readonly status: EngineStatus;
  /** Why the status is not `ok`, in words for the user. */
  readonly issue?: string;
}

/** A problem with the set of engines itself (empty, duplicated, unknown default). */
export class RouterError extends Error {
  override name = "RouterError";
}

/** The engine asked for cannot run; the message says why and what to do. */
export class EngineUnavailableError extends Error {
  override name = "EngineUnavailableError";
  constructor(
    readonly engine: EngineId,
    message: string,
  ) {
    super(message);
  }
}

const usable = (entry: RunnerEntry): entry is RunnerEntry & { runner: Runner } =>
  entry.runner !== undefined && (entry.status === "ok" || entry.status === "bad_config");

/** Splits like Python's `str.splitlines` for the separators chat text actually contains. */
const LINE_BREAK = /\r\n|[\n\r\v\f\x85\u2028\u2029]/;

/**
 * Which engine runs a prompt, and how resume lines map to engines. Entries are
 * kept sorted by engine id: that is the order runners are asked to recognise a
 * resume line (behaviour §3.4), so the answer never depends on config order.
 */
export class Router implements EngineDirectory {
  readonly entries: readonly RunnerEntry[];
  readonly #byEngine: ReadonlyMap<EngineId, RunnerEntry>;
  readonly #runners: readonly Runner[];

  constructor(
    entries: Iterable<RunnerEntry>,
    readonly defaultEngine: EngineId,
  ) {
    const sorted = [...entries].sort((a, b) => (a.engine < b.engine ? -1 : a.engine > b.engine ? 1 : 0));
    if (sorted.length === 0) throw new RouterError("no engines are configured");
    const byEngine = new Map<EngineId, RunnerEntry>();
    for (const entry of sorted) {
      if (byEngine.has(entry.engine)) throw new RouterError(`engine \`${entry.engine}\` is configured twice`);
      byEngine.set(entry.engine, entry);
    }
    if (!byEngine.has(defaultEngine)) {
      throw new RouterError(
        `unknown default engine \`${defaultEngine}\`. available engines: \`${sorted.map((e) => e.engine).join(", ")}\``,
      );
    }
    this.entries = sorted;
    this.#byEngine = byEngine;
    this.#runners = sorted.flatMap((e) => (e.runner ? [e.runner] : []));
  }

  /** Every configured engine id, in router order. */
  engineIds(): readonly EngineId[] {
    return this.entries.map((e) => e.engine);
  }

  /** Engines a prompt can run on (`ok` or `bad_config`). */
  availableEngines(): readonly EngineId[] {
    return this.entries.filter(usable).map((e) => e.engine);
  }

  /** Engines that cannot run (`missing_cli`, `load_error`). */
  unavailableEngines(): readonly EngineId[] {
    return this.entries.filter((e) => !usable(e)).map((e) => e.engine);
  }

  entry(engine: EngineId): RunnerEntry | undefined {
    return this.#byEngine.get(engine);
  }

  get defaultEntry(): RunnerEntry {
    return this.#byEngine.get(this.defaultEngine)!;
  }

  isAvailable(engine: EngineId): boolean {
    const entry = this.#byEngine.get(engine);
    return entry !== undefined && usable(entry);
  }

  /** The runner for `engine`, or why it cannot run. */
  lookup(engine: EngineId): { runner: Runner } | { error: string } {
    const entry = this.#byEngine.get(engine);
    if (!entry) {
      return {
        error: `unknown engine \`${engine}\`. available engines: \`${this.availableEngines().join(", ")}\``,
      };
    }
    if (usable(entry)) return { runner: entry.runner };
    const why =
      entry.issue ?? (entry.status === "missing_cli" ? "its CLI is not installed" : "it failed to load");
    return { error: `engine \`${engine}\` is unavailable: ${why}` };
  }

  /** Like `lookup`, throwing `EngineUnavailableError`. `undefined` means the default engine. */
  runnerFor(engine: EngineId = this.defaultEngine): Runner {
    const found = this.lookup(engine);
    if ("error" in found) throw new EngineUnavailableError(engine, found.error);
    return found.runner;
  }

  /** The first runner, in router order, that finds a resume line in `text` (its last one wins). */
  extractResume(text: string | undefined): ResumeToken | undefined {
    if (!text) return undefined;
    for (const runner of this.#runners) {
      const token = runner.extractResume(text);
      if (token) return token;
    }
    return undefined;
  }

  /** The prompt's own resume line first, then the replied-to message's. */
  resolveResume(text: string | undefined, replyText?: string): ResumeToken | undefined {
    return this.extractResume(text) ?? this.extractResume(replyText);
  }

  isResumeLine(line: string): boolean {
    for (const runner of this.#runners) if (runner.isResumeLine(line)) return true;
    return false;
  }

  /** Removes every engine's resume lines from a prompt; nothing left means `continue`. */
  stripResumeLines(prompt: string): string {
    const kept = prompt.split(LINE_BREAK).filter((line) => !this.isResumeLine(line));
    return kept.join("\n").trim() || "continue";
  }

  /** The resume line for `token`, by its engine's own format. */
  formatResume(token: ResumeToken): string {
    const runner = this.#byEngine.get(token.engine)?.runner;
    if (!runner) throw new EngineUnavailableError(token.engine, `unknown engine \`${token.engine}\``);
    return runner.formatResume(token);
  }
}
