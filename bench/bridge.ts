// End-to-end cost of the Telegram bridge: `bun bench/bridge.ts [--check]`.
// takopi (runTelegramBridge + the scripted mock runner as codex) runs in a child process;
// the fake Bot API runs here, on 127.0.0.1. Prints:
//   (a) user message → first progress sendMessage at the fake (target: median ≤ 20 ms)
//   (b) mock runner's `completed` → final answer sendMessage at the fake (target: median ≤ 20 ms)
//   (c) 50 concurrent threads × 200 events: Telegram calls, wall time, takopi CPU and peak RSS,
//       and a pacing check (per-chat gaps, global ceiling).
// `--check` exits 1 when a target is missed. Takes about a minute; a watchdog stops it after 175 s.
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { User } from "grammy/types";
import { FAKE_TOKEN, type FakeTelegram, startFakeTelegram } from "../test/support/fake-telegram";
import { type ChildSpec, cpuMicros } from "./support/bridge-spec";
import { checkPacing, type PacingLimits, type PacingReport } from "./support/pacing-check";
import { TakopiChild } from "./support/takopi-child";

const TARGET_MS = 20;
const LATENCY_PROMPTS = 30;
const WARMUP_PROMPTS = 3;
const PROMPT_SPACING_MS = 250;
/** Long enough that the run's one progress edit (paced ≥ 1 s after the progress message) has cleared. */
const HOLD_MS = 2500;
const THREADS = 50;
const EVENTS = 200;
const EVENT_GAP_MS = 50;
const PRIVATE_CHATS = 5;
const GROUP_CHATS = 5;
const LIMITS: PacingLimits = {
  privateIntervalMs: 1000,
  groupIntervalMs: 3000,
  globalPerSecond: 25,
  toleranceMs: 5,
};
/** The mock runner's answer for a load prompt: `done load-<i>`. */
const FINAL_TEXT = /\bdone load-(\d+)\b/;
const WATCHDOG_MS = 175_000;

const check = process.argv.includes("--check");
const projectDir = mkdtempSync(join(tmpdir(), "takopi-bench-"));
const children = new Set<TakopiChild>();

const watchdog = setTimeout(() => {
  process.stderr.write(`bench/bridge.ts: still running after ${WATCHDOG_MS / 1000} s, giving up\n`);
  for (const c of children) c.kill();
  process.exit(2);
}, WATCHDOG_MS);

function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

function stats(values: readonly number[]): { median: number; p95: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1) ?? Number.NaN };
}

const ms = (n: number) => `${n.toFixed(1)} ms`;
const user = (id: number): User => ({ id, is_bot: false, first_name: `user${id}` });
/** The fake's `at` is performance.now() in this process; this makes it comparable with the child's epochMs(). */
const atToEpoch = (at: number) => performance.timeOrigin + at;

function pacingLines(report: PacingReport): string[] {
  const worst = (negative: boolean) => {
    const chats = report.chats.filter((c) => c.chatId < 0 === negative);
    if (chats.length === 0) return "none";
    const min = Math.min(...chats.map((c) => c.minGapMs));
    return `${chats.length} chats, smallest gap ${Number.isFinite(min) ? ms(min) : "n/a"} (limit ${chats[0]!.intervalMs} ms)`;
  };
  const bad = report.chats.filter((c) => !c.ok);
  return [
    `    private: ${worst(false)}`,
    `    groups:  ${worst(true)}`,
    `    busiest second: ${report.busiestSecond} calls (ceiling ${LIMITS.globalPerSecond}/s)`,
    ...bad.map((c) => `    FAIL chat ${c.chatId}: gap ${ms(c.minGapMs)} < ${c.intervalMs} ms`),
    `    pacing check: ${report.ok ? "PASS" : "FAIL"}`,
  ];
}

type ChildExtra = Omit<ChildSpec, "apiRoot" | "token" | "chatId" | "projectPath">;

function startChild(fake: FakeTelegram, chatId: number, extra: ChildExtra): TakopiChild {
  const child = new TakopiChild({
    apiRoot: fake.apiRoot,
    token: FAKE_TOKEN,
    chatId,
    projectPath: projectDir,
    ...extra,
  });
  children.add(child);
  return child;
}

// ---- (a) and (b): one prompt per private chat, spaced so pacing never holds a message back ----

async function latencyPhase(): Promise<{ ok: boolean; lines: string[] }> {
  await using fake = startFakeTelegram();
  fake.createChat();
  const total = WARMUP_PROMPTS + LATENCY_PROMPTS;
  const users = Array.from({ length: total }, (_, i) => 2001 + i);
  for (const id of users) fake.createChat({ user: user(id) });
  const child = startChild(fake, fake.defaultUser.id, {
    allowedUserIds: [fake.defaultUser.id, ...users],
    groups: [],
    script: { kind: "latency", holdMs: HOLD_MS },
  });
  await child.ready();

  const sent: { chat: number; prompt: string; t0: number }[] = [];
  for (const [i, chat] of users.entries()) {
    const prompt = `p-${i}`;
    const t0 = performance.now();
    fake.sendUserMessage(chat, { text: prompt });
    sent.push({ chat, prompt, t0 });
    await Bun.sleep(PROMPT_SPACING_MS);
  }
  const finalOf = (chat: number, prompt: string) =>
    fake.calls.find(
      (c) =>
        c.method === "sendMessage" &&
        c.chat_id === chat &&
        String(c.params.text ?? "").includes(`answer for ${prompt}`),
    );
  await fake.waitFor(() => sent.every((s) => finalOf(s.chat, s.prompt)), {
    timeout: HOLD_MS + 20_000,
    label: "every final answer",
  });
  await Bun.sleep(1200); // let the progress messages' deletes go out
  const done = await child.stop();
  children.delete(child);

  const firstSend: number[] = [];
  const finalLag: number[] = [];
  for (const s of sent.slice(WARMUP_PROMPTS)) {
    const progress = fake.calls.find((c) => c.method === "sendMessage" && c.chat_id === s.chat);
    const final = finalOf(s.chat, s.prompt);
    const completed = done.completedAt[s.prompt];
    if (!progress || !final || completed === undefined) throw new Error(`prompt ${s.prompt}: missing calls`);
    firstSend.push(progress.at - s.t0);
    finalLag.push(atToEpoch(final.at) - completed);
  }
  const a = stats(firstSend);
  const b = stats(finalLag);
  const pacing = checkPacing(fake.calls, LIMITS);
  const verdict = (median: number) => (median <= TARGET_MS ? "PASS" : "MISS");
  return {
    ok: a.median <= TARGET_MS && b.median <= TARGET_MS && pacing.ok,
    lines: [
      `(a)(b) ${LATENCY_PROMPTS} prompts (+${WARMUP_PROMPTS} warm-up), one private chat each, ${PROMPT_SPACING_MS} ms apart;`,
      `    each run: started, one action, ${HOLD_MS} ms pause, completed (so the chat's pacing slot is free)`,
      "                                              median      p95      max   target",
      `(a) user message → first progress send     ${pad(a.median)} ${pad(a.p95)} ${pad(a.max)}   median ≤ ${TARGET_MS} ms  ${verdict(a.median)}`,
      `(b) runner completed → final answer send   ${pad(b.median)} ${pad(b.p95)} ${pad(b.max)}   median ≤ ${TARGET_MS} ms  ${verdict(b.median)}`,
      "    pacing during (a)(b):",
      ...pacingLines(pacing),
    ],
  };
}

const pad = (n: number) => ms(n).padStart(8);

// ---- (c): 50 threads × 200 events over 5 private chats and 5 groups ----

async function loadPhase(): Promise<{ ok: boolean; lines: string[] }> {
  await using fake = startFakeTelegram();
  const privateUsers = Array.from({ length: PRIVATE_CHATS }, (_, i) => user(3001 + i));
  const privates = privateUsers.map((u) => fake.createChat({ user: u }).id);
  const groups = Array.from({ length: GROUP_CHATS }, () => fake.createChat({ type: "group" }).id);
  const chats = [...privates, ...groups];
  const child = startChild(fake, groups[0]!, {
    allowedUserIds: privateUsers.map((u) => u.id),
    groups: groups.slice(1).map((chatId, i) => ({ alias: `g${i + 2}`, chatId })),
    script: { kind: "load", events: EVENTS, gapMs: EVENT_GAP_MS },
  });
  const ready = await child.ready();
  const bannerCalls = fake.calls.length;

  const fakeCpu0 = cpuMicros();
  const t0 = performance.now();
  const prompts: { chat: number; prompt: string }[] = [];
  for (let i = 0; i < THREADS; i++) {
    const chat = chats[i % chats.length]!;
    const prompt = `load-${i}`;
    fake.sendUserMessage(chat, { text: prompt, from: privateUsers[i % PRIVATE_CHATS]! });
    prompts.push({ chat, prompt });
  }
  const finals = () =>
    fake.calls.filter((c) => c.method === "sendMessage" && FINAL_TEXT.test(String(c.params.text ?? "")));
  await fake.waitFor(() => finals().length >= THREADS, { timeout: 140_000, label: "every final answer" });
  const lastFinal = Math.max(...finals().map((c) => c.at));
  // The progress messages are deleted after their finals; wait for those (group pacing: 3 s each).
  await fake.waitFor(() => fake.callsTo("deleteMessage").length >= THREADS, {
    timeout: 30_000,
    label: "deletes",
  });
  const wall = performance.now() - t0;
  const fakeCpu = cpuMicros() - fakeCpu0;
  const done = await child.stop();
  children.delete(child);

  const calls = fake.calls.slice(bannerCalls).filter((c) => c.method !== "getUpdates");
  const byMethod = new Map<string, number>();
  for (const c of calls) byMethod.set(c.method, (byMethod.get(c.method) ?? 0) + 1);
  const failed = calls.filter((c) => c.outcome !== "ok").length;
  const delivered = new Set(finals().map((c) => FINAL_TEXT.exec(String(c.params.text))?.[1]));
  const pacing = checkPacing(fake.calls, LIMITS);
  const methods = [...byMethod]
    .sort((x, y) => y[1] - x[1])
    .map(([m, n]) => `${m} ${n}`)
    .join(", ");
  return {
    ok: pacing.ok && finals().length === THREADS,
    lines: [
      `(c) ${THREADS} concurrent threads × ${EVENTS} action events (one every ${EVENT_GAP_MS} ms: ${(EVENTS * EVENT_GAP_MS) / 1000} s per run),`,
      `    spread over ${PRIVATE_CHATS} private chats + ${GROUP_CHATS} groups (${THREADS / chats.length} threads per chat), all started at once`,
      `    telegram calls after startup, getUpdates not counted: ${calls.length} (${methods}); ${failed} failed`,
      `    finals: ${finals().length} sendMessage for ${delivered.size} distinct answers (want ${THREADS})`,
      `    wall time: ${(wall / 1000).toFixed(1)} s to the last delete (last final at ${((lastFinal - t0) / 1000).toFixed(1)} s);`,
      `      the floor is group pacing: ${THREADS / chats.length} progress + ${THREADS / chats.length} finals + ${THREADS / chats.length} deletes at 3 s each`,
      `    takopi CPU: ${(done.cpuUs / 1e6).toFixed(2)} s user+system during the load (${(done.cpuTotalUs / 1e6).toFixed(2)} s incl. startup)`,
      `    takopi peak RSS: ${(done.maxRssKb / 1024).toFixed(1)} MB (at ready: ${(ready.rssKb / 1024).toFixed(1)} MB)`,
      `    runs completed by the mock runner: ${done.runs}; fake Bot API CPU (this process): ${(fakeCpu / 1e6).toFixed(2)} s`,
      ...pacingLines(pacing),
    ],
  };
}

async function main(): Promise<number> {
  const started = performance.now();
  const [l1, l5] = loadavg();
  console.log(
    `takopi bridge bench · bun ${Bun.version} · ${cpus().length} cpus · load avg ${l1?.toFixed(2)} / ${l5?.toFixed(2)}`,
  );
  console.log(
    "takopi = runTelegramBridge with the scripted mock runner as codex, in a child process (CPU and RSS are its own);",
  );
  console.log(
    "fake Bot API in this process on 127.0.0.1; default pacing (1 s private, 3 s groups, 25/s overall); forward_coalesce_s = 0",
  );
  console.log(
    "(the default 1 s forward-coalescing window would add 1 s to (a) by design, behaviour §3.10)\n",
  );
  const latency = await latencyPhase();
  for (const line of latency.lines) console.log(line);
  console.log("");
  const load = await loadPhase();
  for (const line of load.lines) console.log(line);
  console.log(`\nbench took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return check && !(latency.ok && load.ok) ? 1 : 0;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  process.stderr.write(`bench/bridge.ts failed: ${error instanceof Error ? error.message : String(error)}\n`);
  for (const c of children) process.stderr.write(`takopi stderr (tail):\n${c.stderr.slice(-4000)}\n`);
} finally {
  for (const c of children) c.kill();
  clearTimeout(watchdog);
  rmSync(projectDir, { recursive: true, force: true });
}
process.exit(code);
