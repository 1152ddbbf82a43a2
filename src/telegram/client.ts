import { Api, GrammyError, HttpError, type RawApi, type Transformer } from "grammy";
import { getLogger, isEnabled } from "../logging/logger";
import { redact } from "../logging/redact";

export const DEFAULT_API_ROOT = "https://api.telegram.org";

export interface TelegramClientOptions {
  /** Bot API base URL (`transports.telegram.api_root`). A trailing `/` is tolerated. Default: api.telegram.org. */
  readonly apiRoot?: string;
  /**
   * Per-request timeout in seconds. Must stay above the getUpdates long-poll timeout (50 s),
   * or every idle poll would be cut off as a network error. Default: 120.
   */
  readonly timeoutSeconds?: number;
}

/**
 * Telegram answers errors with JSON, but a proxy in front of it (or a self-hosted server under
 * load) may answer 5xx with an HTML page. grammY would report that as an unparseable body;
 * turning it into a Bot API error keeps the status code, so it is retried as a server error.
 */
async function jsonErrors(
  input: Parameters<typeof fetch>[0],
  init?: Parameters<typeof fetch>[1],
): Promise<Response> {
  const res = await fetch(input, init);
  if (res.status < 500 || (res.headers.get("content-type") ?? "").includes("json")) return res;
  await res.body?.cancel();
  const description = `${res.status} ${res.statusText || "Server Error"}`.trim();
  return Response.json({ ok: false, error_code: res.status, description }, { status: res.status });
}

const wire = getLogger("telegram.api");

/** With --debug: one line per Bot API call (method, chat, duration, outcome). Free otherwise. */
const logCalls: Transformer = async (prev, method, payload, signal) => {
  if (!isEnabled("debug")) return prev(method, payload, signal);
  const started = performance.now();
  const chat = (payload as { chat_id?: unknown }).chat_id;
  try {
    const res = await prev(method, payload, signal);
    const ms = Math.round(performance.now() - started);
    wire.debug("telegram.api.call", {
      method,
      chat_id: chat,
      ms,
      ...(res.ok ? { ok: true } : { ok: false, error_code: res.error_code, error: res.description }),
    });
    return res;
  } catch (e) {
    wire.debug("telegram.api.call", { method, chat_id: chat, ok: false, error: describeError(e) });
    throw e;
  }
};

/** A grammY `Api` for the bot, pointed at the configured Bot API server. */
export function createTelegramApi(token: string, opts: TelegramClientOptions = {}): Api {
  const apiRoot = (opts.apiRoot ?? DEFAULT_API_ROOT).replace(/\/+$/, "");
  const api = new Api(token, {
    apiRoot,
    timeoutSeconds: opts.timeoutSeconds ?? 120,
    // Bun's own fetch instead of grammY's node-fetch shim; same API, one less layer.
    fetch: jsonErrors as typeof fetch,
    // Never put URLs (which contain the token) into error messages.
    sensitiveLogs: false,
  });
  api.config.use(logCalls);
  return api;
}

/** grammY types its signals with the abort-controller polyfill's class; the runtime one is the same shape. */
export type ApiSignal = NonNullable<Parameters<RawApi["sendMessage"]>[1]>;
export const apiSignal = (s: AbortSignal): ApiSignal => s as unknown as ApiSignal;

/** What went wrong with a Bot API call, in the terms the outbox and poller act on. */
export type TelegramFailure =
  | { readonly kind: "rate_limited"; readonly retryAfter: number; readonly description: string }
  | { readonly kind: "server"; readonly status: number; readonly description: string }
  | { readonly kind: "network"; readonly description: string }
  | { readonly kind: "not_modified"; readonly description: string }
  | { readonly kind: "unauthorized"; readonly description: string }
  | { readonly kind: "conflict"; readonly description: string }
  | { readonly kind: "rejected"; readonly status: number; readonly description: string }
  | { readonly kind: "aborted"; readonly description: string };

/** Telegram's answer when no retry_after is given with a 429. */
const DEFAULT_RETRY_AFTER = 5;

function innerMessage(e: HttpError): string {
  const inner = e.error;
  if (inner instanceof Error) return `${inner.name}: ${inner.message}`;
  return typeof inner === "string" ? inner : "";
}

export function classifyError(e: unknown): TelegramFailure {
  const description = describeError(e);
  if (e instanceof GrammyError) {
    const code = e.error_code;
    if (code === 429) {
      const after = e.parameters.retry_after;
      return {
        kind: "rate_limited",
        retryAfter: typeof after === "number" ? after : DEFAULT_RETRY_AFTER,
        description,
      };
    }
    if (code >= 500) return { kind: "server", status: code, description };
    if (code === 401) return { kind: "unauthorized", description };
    if (code === 409) return { kind: "conflict", description };
    if (code === 400 && e.description.includes("message is not modified"))
      return { kind: "not_modified", description };
    return { kind: "rejected", status: code, description };
  }
  if (e instanceof HttpError) {
    const inner = e.error;
    if (inner instanceof Error && inner.name === "AbortError") return { kind: "aborted", description };
    return { kind: "network", description };
  }
  if (e instanceof Error && e.name === "AbortError") return { kind: "aborted", description };
  return { kind: "network", description };
}

/** One line for logs and users, with anything token-shaped removed. */
export function describeError(e: unknown): string {
  if (e instanceof GrammyError) return redact(`${e.method}: ${e.error_code} ${e.description}`);
  if (e instanceof HttpError) {
    const inner = innerMessage(e);
    return redact(inner ? `${e.message} (${inner})` : e.message);
  }
  if (e instanceof Error) return redact(e.message);
  return redact(String(e));
}

/** True for failures worth retrying: the request may succeed if sent again later. */
export function isTransient(f: TelegramFailure): boolean {
  return f.kind === "server" || f.kind === "network";
}
