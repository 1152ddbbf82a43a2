// Cancelling runs from chat (/cancel, the inline button) and stopping takopi with SIGTERM:
// the whole engine process group dies and the progress message says `cancelled`.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { killAll, waitGone } from "../support/fake-engine-bin";
import type { LoggedMessage } from "../support/fake-telegram";
import { CHAT_ID, Harness } from "./harness";

const RESUME = /^codex resume 01a20c3b-ed72-7293-898e-7d923efc05b2$/m;

let h: Harness;
beforeAll(async () => {
  h = new Harness();
  await h.start();
}, 30_000);
afterAll(async () => {
  killAll(h.pids("codex"));
  await h.dispose();
}, 30_000);

/** Starts a codex run that hangs after its session line, with two grandchildren in its group. */
async function startHangingRun(
  prompt: string,
): Promise<{ id: number; progress: LoggedMessage; pids: number[] }> {
  h.resetPids("codex");
  h.mode("codex", "hang", {
    any: { fixture: "codex/new_thread_command.jsonl", stopAfter: 2, hang: true, grandchildren: 2 },
  });
  const id = h.say(prompt);
  // The engine writes its pid, then its grandchildren's: three pids mean the whole group is up,
  // and the run is registered (it is tracked before the engine is spawned).
  const pids = await h.waitPids("codex", 3);
  const progress = await h.waitProgress(id);
  // The session line has been read once the progress message shows the resume line.
  await h.fake.waitFor(() => RESUME.test(progress.text), { timeout: 5000, label: "resume line in progress" });
  return { id, progress, pids };
}

function expectCancelled(m: LoggedMessage): void {
  expect(m.deleted).toBe(false);
  expect(m.text).toMatch(/^cancelled · codex · /);
  expect(m.text).toMatch(RESUME);
  expect(m.reply_markup?.inline_keyboard.length ?? 0).toBe(0);
}

test("/cancel replying to the progress message kills the process group within 2 s", async () => {
  const { progress, pids } = await startHangingRun("hang please");
  expect(pids.every((p) => process.kill(p, 0))).toBe(true);
  const sentAt = performance.now();
  const cancel = h.say("/cancel", progress.message_id);
  expect(await waitGone(pids, 2000)).toEqual([]);
  expect(performance.now() - sentAt).toBeLessThan(2000);
  await h.fake.waitFor(() => progress.text.startsWith("cancelled"), { timeout: 5000, label: "cancelled" });
  expectCancelled(progress);
  // The /cancel itself needs no answer when it worked.
  expect(h.repliesTo(cancel)).toEqual([]);
}, 20_000);

test("the inline cancel button kills the process group within 2 s and answers the press", async () => {
  const { id, progress, pids } = await startHangingRun("hang again");
  expect(progress.reply_markup?.inline_keyboard[0]?.[0]).toMatchObject({ callback_data: "takopi:cancel" });
  const sentAt = performance.now();
  const press = h.fake.pressButton(CHAT_ID, progress.message_id, "takopi:cancel");
  expect(await waitGone(pids, 2000)).toEqual([]);
  expect(performance.now() - sentAt).toBeLessThan(2000);
  const answered = await h.fake.waitFor(
    () => h.fake.callbacks.get(press.id)?.answer !== undefined && h.fake.callbacks.get(press.id),
    {
      label: "callback answered",
    },
  );
  expect(answered.answered).toBe(true);
  expect(answered.answer?.text).toBe("cancelling...");
  await h.fake.waitFor(() => progress.text.startsWith("cancelled"), { timeout: 5000, label: "cancelled" });
  expectCancelled(progress);
  expect(h.finals(id)).toHaveLength(1);
}, 20_000);

test("/cancel without a reply gets the usage answer", async () => {
  const id = h.say("/cancel");
  const answer = await h.waitReply(id, () => true);
  expect(answer.text).toBe("reply to the progress message to cancel.");
}, 10_000);

test("the button on a queued prompt drops it from the queue without running it", async () => {
  h.mode("codex", "normal");
  const start = h.say("start a thread");
  const final = await h.waitFinal(start);
  h.resetPids("codex");
  h.mode("codex", "hang-resume", { any: { fixture: "codex/resume.jsonl", stopAfter: 1, hang: true } });
  const running = h.say("keep going", final.message_id);
  const [pid] = await h.waitPids("codex", 1);
  const queued = h.say("and then this", final.message_id);
  const placeholder = await h.waitProgress(queued);
  expect(placeholder.history[0]?.text).toMatch(/^queued · codex/);
  const press = h.fake.pressButton(CHAT_ID, placeholder.message_id, "takopi:cancel");
  const answered = await h.fake.waitFor(
    () => h.fake.callbacks.get(press.id)?.answer && h.fake.callbacks.get(press.id),
    {
      label: "callback answered",
    },
  );
  expect(answered.answer?.text).toBe("dropped from queue.");
  // The edit waits its turn in the chat's 1 msg/s lane behind the running prompt's messages.
  await h.fake.waitFor(() => placeholder.text.startsWith("cancelled"), {
    timeout: 10_000,
    label: "queued placeholder cancelled",
  });
  expect(placeholder.reply_markup?.inline_keyboard.length ?? 0).toBe(0);
  // The running prompt is untouched; cancelling it frees the thread, and the dropped one never runs.
  const progress = await h.waitProgress(running);
  h.say("/cancel", progress.message_id);
  expect(await waitGone([pid!], 2000)).toEqual([]);
  await h.fake.waitFor(() => progress.text.startsWith("cancelled"), { timeout: 5000, label: "cancelled" });
  h.mode("codex", "normal");
  const after = h.say("fresh start");
  await h.waitFinal(after);
  expect(h.pids("codex")).toHaveLength(2);
  expect(placeholder.text).toMatch(/^cancelled/);
  expect(h.finals(queued)).toHaveLength(1);
}, 30_000);

test("SIGTERM during a run: cancelled message, process group gone, lock released, exit 0", async () => {
  const { progress, pids } = await startHangingRun("hang until shutdown");
  expect(existsSync(h.lockPath)).toBe(true);
  const code = await h.stop("SIGTERM");
  expect(code).toBe(0);
  expect(await waitGone(pids, 2000)).toEqual([]);
  expectCancelled(progress);
  expect(existsSync(h.lockPath)).toBe(false);
}, 30_000);
