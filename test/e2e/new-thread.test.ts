import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Engine, Harness } from "./harness";

const RESUME_LINE: Record<Engine, RegExp> = {
  codex: /^codex resume 01a20c3b-ed72-7293-898e-7d923efc05b2$/m,
  claude: /^claude --resume cbfa7221-7af5-4a69-bde9-060c6843160c$/m,
  opencode: /^opencode --session ses_df3b71aa1ffe1RusQr5HVBzYFO$/m,
  pi: /^pi --session 01a20c34-5f38-706c-b4f6-bcbaed0ac0fc$/m,
};

let h: Harness;
beforeAll(async () => {
  h = new Harness();
  await h.start();
}, 30_000);
afterAll(async () => {
  const started = performance.now();
  expect(await h.stop()).toBe(0);
  expect(performance.now() - started).toBeLessThan(10_000);
  await h.dispose();
}, 30_000);

describe.each(["codex", "claude", "opencode", "pi"] as const)("%s", (engine) => {
  test("a new thread streams progress and ends with the answer and its resume line", async () => {
    const id = h.say(`/${engine} run a command please`);
    const final = await h.waitFinal(id);
    expect(final.text).toMatch(/^done · /);
    expect(final.text).toMatch(RESUME_LINE[engine]);
    expect(final.disable_notification).toBe(false);
    // The silent progress message was replaced (deleted) by the final answer.
    const progress = h.repliesTo(id).find((m) => m.disable_notification);
    expect(progress?.history[0]?.text).toMatch(new RegExp(`^starting · ${engine} · 0s`));
    await h.fake.waitFor(() => progress?.deleted, { label: "progress message deleted" });
  }, 20_000);

  test("replying to the final answer continues the same thread", async () => {
    const first = h.say(`/${engine} start`);
    const final = await h.waitFinal(first);
    const follow = h.say("and now continue", final.message_id);
    const queued = await h.waitReply(follow, (m) => m.history[0]?.text.startsWith("queued") ?? false);
    expect(queued.history[0]?.text).toMatch(new RegExp(`^queued · ${engine} · 0s`));
    const second = await h.waitFinal(follow);
    expect(second.text).toMatch(RESUME_LINE[engine]);
  }, 20_000);
});
