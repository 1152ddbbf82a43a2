// Who takopi listens to, and when: the backlog from before it started is answered but
// not run, strangers and other chats are ignored, and a second instance refuses to start.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import type { User } from "grammy/types";
import { killAll } from "../support/fake-engine-bin";
import { CHAT_ID, type Engine, Harness } from "./harness";

const ENGINES: Engine[] = ["codex", "claude", "opencode", "pi"];
const BOB: User = { id: 2002, is_bot: false, first_name: "Bob", username: "bob" };
const BACKLOG = /^takopi was not running when this arrived, so it was not run\./;

let h: Harness;
let backlog: { mine: number[]; stranger: number };
beforeAll(async () => {
  // Only Alice (1001, the configured private chat) may use the bot.
  h = new Harness({ allowedUserIds: [CHAT_ID], deferStart: true });
  // Sent while takopi is down.
  backlog = {
    mine: [h.say("run the tests"), h.say("/claude and fix them")],
    stranger: h.fake.sendUserMessage(CHAT_ID, { text: "let me in", from: BOB }).message_id,
  };
  await h.start();
}, 30_000);
afterAll(async () => {
  for (const e of ENGINES) killAll(h.pids(e));
  expect(await h.stop()).toBe(0);
  await h.dispose();
}, 30_000);

const enginePids = () => ENGINES.flatMap((e) => h.pids(e));

test("prompts sent before takopi started are not run, but each gets a reply saying so", async () => {
  for (const id of backlog.mine) {
    const reply = await h.waitReply(id, () => true);
    expect(reply.text).toMatch(BACKLOG);
    expect(h.repliesTo(id)).toHaveLength(1);
  }
  expect(h.repliesTo(backlog.stranger)).toEqual([]);
  expect(enginePids()).toEqual([]);
  // They are not delivered again once takopi polls: a new prompt runs alone.
  const id = h.say("now run this");
  const final = await h.waitFinal(id);
  expect(final.text).toMatch(/^done · codex/);
  expect(h.pids("codex")).toHaveLength(1);
  for (const id of backlog.mine) expect(h.repliesTo(id)).toHaveLength(1);
}, 20_000);

test("messages from other chats and from users not allowed are ignored", async () => {
  h.resetPids("codex");
  const bobsChat = h.fake.createChat({ user: BOB });
  const group = h.fake.createChat({ type: "group", title: "not configured" });
  const ignored = [
    h.fake.sendUserMessage(bobsChat.id, { text: "run rm -rf /" }),
    h.fake.sendUserMessage(group.id, { text: "/codex hello", from: h.fake.defaultUser }),
    h.fake.sendUserMessage(CHAT_ID, { text: "/codex run this for me", from: BOB }),
    h.fake.sendUserMessage(CHAT_ID, { text: "/cancel", from: BOB }),
  ];
  // Updates are handled in order: once a later prompt is answered, the earlier ones were seen.
  const barrier = h.say("still just me");
  await h.waitFinal(barrier);
  expect(h.fake.botMessages(bobsChat.id)).toEqual([]);
  expect(h.fake.botMessages(group.id)).toEqual([]);
  for (const m of ignored.slice(2)) expect(h.repliesTo(m.message_id)).toEqual([]);
  // Exactly one engine run: the allowed prompt's.
  expect(h.pids("codex")).toHaveLength(1);
  expect(h.fake.calls.filter((c) => c.chat_id === bobsChat.id || c.chat_id === group.id)).toEqual([]);
}, 20_000);

test("a second takopi with the same config and token refuses to start", async () => {
  const lockBefore = readFileSync(h.lockPath, "utf8");
  const second = Bun.spawn(h.command(), {
    cwd: h.repo,
    env: h.env(),
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const [code, stderr] = await Promise.all([second.exited, new Response(second.stderr).text()]);
  expect(code).toBe(1);
  expect(stderr).toContain("error: already running");
  // The first instance keeps its lock and keeps serving.
  expect(readFileSync(h.lockPath, "utf8")).toBe(lockBefore);
  expect(JSON.parse(lockBefore).pid).toBe(h.proc?.pid);
  const id = h.say("are you still the one?");
  expect((await h.waitFinal(id)).text).toMatch(/^done · codex/);
  expect(h.proc?.exitCode).toBeNull();
}, 20_000);
