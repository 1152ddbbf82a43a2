// Things going wrong: engines crashing or printing garbage, Telegram answering 429/5xx or
// dropping connections. The user always gets one answer per prompt, and the bot token never
// shows up in what takopi prints or logs.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { killAll } from "../support/fake-engine-bin";
import { FAKE_TOKEN } from "../support/fake-telegram";
import { CHAT_ID, FIXTURES, Harness } from "./harness";

const THREAD = "01a20c3b-ed72-7293-898e-7d923efc05b2";
const RESUME = new RegExp(`^codex resume ${THREAD}$`, "m");
const logDir = mkdtempSync(join(tmpdir(), "takopi-e2e-log-"));
const logFile = join(logDir, "debug.log");

let h: Harness;
beforeAll(async () => {
  h = new Harness({ env: { TAKOPI_LOG_FILE: logFile } });
  await h.start();
}, 30_000);
afterAll(async () => {
  killAll(h.pids("codex"));
  await h.dispose();
  rmSync(logDir, { recursive: true, force: true });
}, 30_000);

/** Runs one prompt in the normal mode and checks it is answered. */
async function expectServing(): Promise<void> {
  h.mode("codex", "normal");
  const id = h.say("are you still there?");
  const final = await h.waitFinal(id);
  expect(final.text).toMatch(/^done · codex/);
  expect(final.text).toContain("All done.");
  expect(final.text).toMatch(RESUME);
}

test("an engine exiting mid-stream gives an error that keeps the resume line and its stderr", async () => {
  h.mode("codex", "crash", {
    any: {
      fixture: "codex/new_thread_command.jsonl",
      stopAfter: 3,
      stderr: "fatal: lost the connection to the model\n",
      exitCode: 3,
    },
  });
  const id = h.say("this will crash");
  const final = await h.waitFinal(id);
  expect(final.text).toMatch(/^error · codex/);
  expect(final.text).toMatch(RESUME);
  expect(final.text).toContain("lost the connection to the model");
  expect(h.finals(id)).toHaveLength(1);
  await expectServing();
}, 30_000);

test("an engine killed by a signal gives an error that keeps the resume line", async () => {
  h.mode("codex", "killed", {
    any: { fixture: "codex/new_thread_command.jsonl", stopAfter: 2, killSelf: "SIGKILL" },
  });
  const id = h.say("this will be killed");
  const final = await h.waitFinal(id);
  expect(final.text).toMatch(/^error · codex/);
  expect(final.text).toMatch(RESUME);
  expect(h.finals(id)).toHaveLength(1);
  await expectServing();
}, 30_000);

test("invalid JSON lines give a warning but the normal answer", async () => {
  const lines = readFileSync(resolve(FIXTURES, "codex/new_thread_command.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l !== "");
  h.mode("codex", "garbage", {
    any: {
      lines: [
        ...lines.slice(0, 3),
        "{this is not json",
        "Traceback (most recent call last):",
        ...lines.slice(3),
      ],
      leadingGarbage: ["npm WARN deprecated something"],
      trailingGarbage: ["}} trailing garbage"],
      // Slow enough for the progress message to be edited while the run streams.
      delayMs: 500,
    },
  });
  const id = h.say("noisy engine");
  const progress = await h.waitProgress(id);
  const final = await h.waitFinal(id);
  expect(final.text).toMatch(/^done · codex/);
  expect(final.text).toContain("All done.");
  expect(final.text).toMatch(RESUME);
  expect(progress.history.some((v) => v.text.includes("invalid JSON from codex"))).toBe(true);
  // Shown once, not once per bad line.
  for (const v of progress.history)
    expect(v.text.split("invalid JSON from codex").length).toBeLessThanOrEqual(2);
  expect(h.finals(id)).toHaveLength(1);
  await expectServing();
}, 30_000);

test("429 storms, 5xx and dropped connections on sends and edits: every answer exactly once", async () => {
  h.mode("codex", "normal-slow", { any: { fixture: "codex/new_thread_command.jsonl", delayMs: 150 } });
  const rules = [
    h.fake.fail("sendMessage", { kind: "rate_limit", retry_after: 1 }, 3),
    h.fake.fail("sendMessage", { kind: "server_error" }, 2),
    h.fake.fail("sendMessage", { kind: "drop" }, 1),
    h.fake.fail("sendMessage", { kind: "server_error", status: 502, body: "html" }, 1),
    h.fake.fail("editMessageText", { kind: "server_error" }, 2),
    h.fake.fail("editMessageText", { kind: "rate_limit", retry_after: 1 }, 1),
    h.fake.fail("deleteMessage", { kind: "drop" }, 1),
  ];
  const prompts = [h.say("first under fire"), h.say("second under fire"), h.say("third under fire")];
  const finals = await Promise.all(prompts.map((id) => h.waitFinal(id, 40_000)));
  for (const final of finals) {
    expect(final.text).toMatch(/^done · codex/);
    expect(final.text).toMatch(RESUME);
  }
  expect(rules.filter((r) => r.method === "sendMessage").every((r) => r.remaining === 0)).toBe(true);
  // A later prompt's answer is a barrier: anything still queued for the earlier ones has gone out.
  await expectServing();
  for (const id of prompts) {
    expect(h.finals(id)).toHaveLength(1);
    // Counting deleted ones too: no answer was sent twice and then cleaned up.
    expect(h.repliesTo(id).filter((m) => /^done/.test(m.text))).toHaveLength(1);
  }
  // The 429s were honoured: after each one, Telegram saw no write to this chat for retry_after.
  const writes = new Set(["sendMessage", "editMessageText", "deleteMessage"]);
  const chatWrites = h.fake.calls.filter((c) => c.chat_id === CHAT_ID && writes.has(c.method));
  const limited = chatWrites.filter((c) => c.error_code === 429);
  expect(limited.length).toBeGreaterThanOrEqual(3);
  for (const c of limited) {
    const next = chatWrites.find((w) => w.seq > c.seq);
    expect(next!.at - c.at).toBeGreaterThanOrEqual(950);
  }
  h.fake.clearFailures();
}, 90_000);

test("the bot token never appears in takopi's output or log file, even through 5xx and drops", async () => {
  h.fake.fail("getUpdates", { kind: "server_error", body: "html" }, 1);
  h.fake.fail("getUpdates", { kind: "drop" }, 1);
  h.fake.fail("sendMessage", { kind: "error", code: 400, description: "Bad Request: chat not found" }, 1);
  await expectServing();
  expect(await h.stop()).toBe(0);
  const secret = FAKE_TOKEN.split(":")[1]!;
  expect(h.output).toContain("telegram.api.call");
  expect(existsSync(logFile)).toBe(true);
  const logged = readFileSync(logFile, "utf8");
  expect(logged).toContain("telegram.api.call");
  for (const text of [h.output, logged]) {
    expect(text).not.toContain(FAKE_TOKEN);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(encodeURIComponent(FAKE_TOKEN));
  }
}, 60_000);
