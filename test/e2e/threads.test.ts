// Scheduling as the user sees it: different threads run at the same time,
// prompts on the same thread wait their turn behind a `queued` placeholder.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { isAlive, killAll } from "../support/fake-engine-bin";
import { Harness } from "./harness";

const THREAD_A = "01a20c3b-ed72-7293-898e-7d923efc05b2";
const THREAD_B = "01a20c3b-0000-7000-8000-00000000000b";

let h: Harness;
beforeAll(async () => {
  h = new Harness();
  await h.start();
}, 30_000);
afterAll(async () => {
  killAll(h.pids("codex"));
  expect(await h.stop()).toBe(0);
  await h.dispose();
}, 30_000);

test("two new threads run in parallel and both finish", async () => {
  const threadB = h.deriveFixture("thread-b", "codex/new_thread_command.jsonl", (lines) =>
    lines.map((l) => (l.type === "thread.started" ? { ...l, thread_id: THREAD_B } : l)),
  );
  h.resetPids("codex");
  // Slow enough (6 lines × 600 ms) that the second run starts while the first still streams.
  h.mode("codex", "slow-a", { any: { fixture: "codex/new_thread_command.jsonl", delayMs: 600 } });
  const first = h.say("first task");
  const [pidA] = await h.waitPids("codex", 1);
  h.mode("codex", "slow-b", { any: { fixture: threadB, delayMs: 600 } });
  const second = h.say("second task");
  const [, pidB] = await h.waitPids("codex", 2);
  // Both engines are alive at once: the second did not wait for the first.
  expect(isAlive(pidA!)).toBe(true);
  expect(isAlive(pidB!)).toBe(true);
  const progressA = await h.waitProgress(first);
  const progressB = await h.waitProgress(second);
  expect(progressA.history[0]?.text).toMatch(/^starting · codex/);
  expect(progressB.history[0]?.text).toMatch(/^starting · codex/);

  const [finalA, finalB] = await Promise.all([h.waitFinal(first), h.waitFinal(second)]);
  expect(finalA.text).toMatch(/^done · codex/);
  expect(finalB.text).toMatch(/^done · codex/);
  expect(finalA.text).toContain(`codex resume ${THREAD_A}`);
  expect(finalB.text).toContain(`codex resume ${THREAD_B}`);
  // Both progress messages were up before either answer arrived.
  const firstFinalAt = Math.min(finalA.sent_at, finalB.sent_at);
  expect(progressA.sent_at).toBeLessThan(firstFinalAt);
  expect(progressB.sent_at).toBeLessThan(firstFinalAt);
  expect(h.finals(first)).toHaveLength(1);
  expect(h.finals(second)).toHaveLength(1);
}, 30_000);

test("two prompts on one thread run one after the other, in order", async () => {
  h.mode("codex", "normal");
  const start = h.say("start a thread");
  const final = await h.waitFinal(start);
  expect(final.text).toContain(`codex resume ${THREAD_A}`);

  h.resetPids("codex");
  h.mode("codex", "slow-resume", { any: { fixture: "codex/resume.jsonl", delayMs: 300 } });
  const one = h.say("first follow-up", final.message_id);
  const two = h.say("second follow-up", final.message_id);
  const placeholderOne = await h.waitProgress(one);
  const placeholderTwo = await h.waitProgress(two);
  expect(placeholderOne.history[0]?.text).toMatch(/^queued · codex · 0s/);
  expect(placeholderTwo.history[0]?.text).toMatch(/^queued · codex · 0s/);

  const finalOne = await h.waitFinal(one);
  const finalTwo = await h.waitFinal(two);
  expect(finalOne.text).toMatch(/^done · codex/);
  expect(finalTwo.text).toMatch(/^done · codex/);
  expect(finalTwo.text).toContain(`codex resume ${THREAD_A}`);
  expect(finalOne.sent_at).toBeLessThan(finalTwo.sent_at);
  // The second prompt stayed `queued` until the first one's answer was out.
  const leftQueue = placeholderTwo.history.find((v) => !v.text.startsWith("queued"));
  expect(leftQueue?.text).toMatch(/^starting · codex/);
  expect(leftQueue!.at).toBeGreaterThan(finalOne.sent_at);
  // One engine run per prompt (the resume runs started no grandchildren).
  expect(h.pids("codex")).toHaveLength(2);
  expect(h.finals(one)).toHaveLength(1);
  expect(h.finals(two)).toHaveLength(1);
}, 40_000);
