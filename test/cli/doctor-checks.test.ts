import { describe, expect, test } from "bun:test";
import {
  chatCheck,
  configCheck,
  type DoctorCheck,
  type EngineLookup,
  engineCheck,
  failureReason,
  hasErrors,
  oneLine,
  renderCheck,
  renderReport,
  tokenCheck,
} from "../../src/cli/doctor-checks";
import type { RunnerEntry } from "../../src/core/router";
import type { TelegramFailure } from "../../src/telegram/client";

describe("rendering", () => {
  test.each<[DoctorCheck, string]>([
    [
      { label: "config", status: "ok", detail: "~/.takopi/takopi.toml" },
      "- config: ok (~/.takopi/takopi.toml)",
    ],
    [{ label: "pi", status: "warning", detail: "not found" }, "- pi: warning (not found)"],
    [{ label: "telegram", status: "error" }, "- telegram: error"],
  ])("%o → %s", (check, line) => {
    expect(renderCheck(check)).toBe(line);
  });

  test("report: title then one line per check; errors decide the exit", () => {
    const checks: DoctorCheck[] = [
      { label: "a", status: "ok" },
      { label: "b", status: "warning", detail: "x" },
    ];
    expect(renderReport(checks)).toBe("takopi doctor\n- a: ok\n- b: warning (x)");
    expect(hasErrors(checks)).toBe(false);
    expect(hasErrors([...checks, { label: "c", status: "error" }])).toBe(true);
  });

  test.each([
    ["single line", "single line"],
    ["Invalid config in f:\n  - a: x\n  - b: y", "Invalid config in f: a: x; b: y"],
    ["first\nsecond\n\nthird", "first: second; third"],
  ])("oneLine(%j) = %j", (input, output) => {
    expect(oneLine(input)).toBe(output);
  });
});

describe("checks", () => {
  test("config", () => {
    expect(configCheck({ ok: true, value: "/c.toml" })).toEqual({
      label: "config",
      status: "ok",
      detail: "/c.toml",
    });
    expect(configCheck({ ok: false, reason: "Invalid config in /c.toml:\n  - a: b\n  - c: d" })).toEqual({
      label: "config",
      status: "error",
      detail: "Invalid config in /c.toml: a: b; c: d",
    });
  });

  test("token and chat", () => {
    expect(renderCheck(tokenCheck({ ok: true, value: { id: 7, username: "bot" } }))).toBe(
      "- telegram token: ok (@bot)",
    );
    expect(renderCheck(tokenCheck({ ok: true, value: { id: 7 } }))).toBe("- telegram token: ok (id=7)");
    expect(renderCheck(tokenCheck({ ok: false, reason: "r" }))).toBe(
      "- telegram token: error (failed to fetch bot info (r))",
    );
    expect(renderCheck(chatCheck(-100, { ok: true, value: { type: "supergroup" } }))).toBe(
      "- chat_id: ok (supergroup (-100))",
    );
    expect(renderCheck(chatCheck(5, { ok: false, reason: "chat not found" }))).toBe(
      "- chat_id: error (unreachable (5): chat not found)",
    );
    expect(chatCheck(5, "skipped").status).toBe("error");
  });

  const entry = (status: RunnerEntry["status"], issue?: string): RunnerEntry => ({
    engine: "codex",
    status,
    ...(issue ? { issue } : {}),
  });
  const lookup = (over: Partial<EngineLookup> = {}): EngineLookup => ({
    isDefault: true,
    installHint: "npm i codex",
    ...over,
  });

  test.each<[RunnerEntry, EngineLookup, string]>([
    [entry("ok"), lookup({ resolved: "/bin/codex" }), "- codex: ok (/bin/codex)"],
    [entry("missing_cli"), lookup(), "- codex: error (not found on PATH; install: npm i codex)"],
    [
      entry("missing_cli"),
      lookup({ isDefault: false }),
      "- codex: warning (not found on PATH; install: npm i codex)",
    ],
    [
      entry("missing_cli"),
      lookup({ configured: "/opt/codex" }),
      "- codex: error (`/opt/codex` not found; install: npm i codex)",
    ],
    [
      entry("missing_cli"),
      lookup({ configured: "codex-beta", isDefault: false }),
      "- codex: warning (`codex-beta` not found on PATH; install: npm i codex)",
    ],
    [
      entry("bad_config", "bad model"),
      lookup({ isDefault: false }),
      "- codex: warning (misconfigured: bad model)",
    ],
    [entry("load_error", "boom"), lookup(), "- codex: error (failed to load: boom)"],
  ])("engine %o %o → %s", (e, l, line) => {
    expect(renderCheck(engineCheck(e, l))).toBe(line);
  });

  const ctx = { apiRoot: "http://api", timeoutSeconds: 5 };
  test.each<[TelegramFailure, string | undefined, string]>([
    [
      { kind: "unauthorized", description: "x" },
      undefined,
      "401 Unauthorized: Telegram rejected transports.telegram.bot_token",
    ],
    [{ kind: "network", description: "d" }, "ECONNREFUSED", "cannot reach http://api: ECONNREFUSED"],
    [
      { kind: "network", description: "d" },
      "Request to 'getMe' timed out after 5 seconds",
      "no answer from http://api within 5s",
    ],
    [{ kind: "network", description: "d" }, undefined, "cannot reach http://api: d"],
    [{ kind: "aborted", description: "d" }, undefined, "no answer from http://api within 5s"],
    [
      { kind: "server", status: 502, description: "getMe: 502 Bad Gateway" },
      undefined,
      "getMe: 502 Bad Gateway",
    ],
    [{ kind: "rate_limited", retryAfter: 3, description: "d" }, undefined, "rate limited, retry after 3s"],
  ])("failure %o (cause %s) → %s", (failure, cause, reason) => {
    expect(failureReason(failure, { ...ctx, ...(cause ? { cause } : {}) })).toBe(reason);
  });
});
