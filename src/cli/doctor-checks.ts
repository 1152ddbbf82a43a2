// `takopi doctor` checks as values: each check is a pure function of what was
// observed (a config load, a Bot API answer, a PATH lookup) returning a
// DoctorCheck, and the report is those values rendered one per line.
import type { TelegramConfig } from "../config/schema";
import type { RunnerEntry } from "../core/router";
import type { TelegramFailure } from "../telegram/client";

export type CheckStatus = "ok" | "warning" | "error";

export interface DoctorCheck {
  readonly label: string;
  readonly status: CheckStatus;
  readonly detail?: string;
}

/** What a probe saw: a value, or why there is none (already redacted, one line). */
export type Probe<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string };

const check = (label: string, status: CheckStatus, detail?: string): DoctorCheck =>
  detail === undefined ? { label, status } : { label, status, detail };

/** A multi-line message (e.g. several config issues) as one line: `first: a; b`. */
export function oneLine(text: string): string {
  const [first = "", ...rest] = text
    .split("\n")
    .map((l) => l.trim().replace(/^- /, ""))
    .filter((l) => l !== "");
  if (rest.length === 0) return first;
  return `${first}${first.endsWith(":") ? " " : ": "}${rest.join("; ")}`;
}

/** `- <label>: <status>[ (<detail>)]` */
export function renderCheck(c: DoctorCheck): string {
  return `- ${c.label}: ${c.status}${c.detail ? ` (${c.detail})` : ""}`;
}

export function renderReport(checks: readonly DoctorCheck[]): string {
  return ["takopi doctor", ...checks.map(renderCheck)].join("\n");
}

export function hasErrors(checks: readonly DoctorCheck[]): boolean {
  return checks.some((c) => c.status === "error");
}

/** The config file: loaded and valid (detail = where it is), or the config error. */
export function configCheck(probe: Probe<string>): DoctorCheck {
  return probe.ok ? check("config", "ok", probe.value) : check("config", "error", oneLine(probe.reason));
}

export interface FailureContext {
  readonly apiRoot: string;
  readonly timeoutSeconds: number;
  /** The underlying network error's message (grammY wraps it in an HttpError), if any. */
  readonly cause?: string;
}

/** A failed Bot API call in a few words, for the `(…)` of a check line. */
export function failureReason(f: TelegramFailure, ctx: FailureContext): string {
  switch (f.kind) {
    case "unauthorized":
      return "401 Unauthorized: Telegram rejected transports.telegram.bot_token";
    case "aborted":
      return `no answer from ${ctx.apiRoot} within ${ctx.timeoutSeconds}s`;
    case "network":
      if (ctx.cause && /timed out/i.test(ctx.cause)) {
        return `no answer from ${ctx.apiRoot} within ${ctx.timeoutSeconds}s`;
      }
      return `cannot reach ${ctx.apiRoot}: ${ctx.cause ?? f.description}`;
    case "rate_limited":
      return `rate limited, retry after ${f.retryAfter}s`;
    case "server":
    case "conflict":
    case "not_modified":
    case "rejected":
      return f.description;
    default: {
      const never: never = f;
      return String(never);
    }
  }
}

export interface BotInfo {
  readonly id: number;
  readonly username?: string;
}

/** getMe: `@username` (or `id=N` for a bot without one). */
export function tokenCheck(probe: Probe<BotInfo>): DoctorCheck {
  if (!probe.ok) return check("telegram token", "error", `failed to fetch bot info (${probe.reason})`);
  const bot = probe.value;
  return check("telegram token", "ok", bot.username ? `@${bot.username}` : `id=${bot.id}`);
}

/** getChat for the configured chat: `<type> (<id>)`; skipped when the token check failed. */
export function chatCheck(chatId: number, probe: Probe<{ readonly type: string }> | "skipped"): DoctorCheck {
  if (probe === "skipped") return check("chat_id", "error", "skipped: the telegram token check failed");
  if (!probe.ok) return check("chat_id", "error", `unreachable (${chatId}): ${probe.reason}`);
  return check("chat_id", "ok", `${probe.value.type} (${chatId})`);
}

export interface EngineLookup {
  readonly isDefault: boolean;
  /** The `command` key when set (`~/` expanded); undefined = the engine id on PATH. */
  readonly configured?: string;
  /** Where the executable was found, if it was. */
  readonly resolved?: string;
  readonly installHint: string;
}

/**
 * One engine: ok with the executable's path; a missing CLI is an error only
 * for the default engine (takopi cannot start without it), a warning otherwise.
 */
export function engineCheck(entry: RunnerEntry, lookup: EngineLookup): DoctorCheck {
  const label = entry.engine;
  const severity: CheckStatus = lookup.isDefault ? "error" : "warning";
  switch (entry.status) {
    case "ok":
      return check(label, "ok", lookup.resolved ?? lookup.configured ?? entry.engine);
    case "missing_cli": {
      const what = lookup.configured
        ? `\`${lookup.configured}\` not found${lookup.configured.includes("/") ? "" : " on PATH"}`
        : "not found on PATH";
      return check(label, severity, `${what}; install: ${lookup.installHint}`);
    }
    case "bad_config":
      return check(label, "warning", `misconfigured: ${entry.issue ?? "invalid config table"}`);
    case "load_error":
      return check(label, severity, `failed to load${entry.issue ? `: ${entry.issue}` : ""}`);
    default: {
      const never: never = entry.status;
      return check(label, "error", String(never));
    }
  }
}

const NOT_AVAILABLE = "enabled, but not available in this version";

export function topicsCheck(telegram: TelegramConfig): DoctorCheck {
  return telegram.topics.enabled
    ? check("topics", "warning", NOT_AVAILABLE)
    : check("topics", "ok", "disabled");
}

export function fileTransferCheck(telegram: TelegramConfig): DoctorCheck {
  return telegram.files.enabled
    ? check("file transfer", "warning", NOT_AVAILABLE)
    : check("file transfer", "ok", "disabled");
}

export function voiceCheck(telegram: TelegramConfig): DoctorCheck {
  return telegram.voice_transcription
    ? check("voice transcription", "warning", NOT_AVAILABLE)
    : check("voice transcription", "ok", "disabled");
}
