// A 4000-character answer: cut to one message in trim mode, spread over several in split
// mode; either way every message fits Telegram's limit and keeps the resume line.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Harness } from "./harness";

const RESUME = /\ncodex resume 01a20c3b-ed72-7293-898e-7d923efc05b2$/;
const LIMIT = 4096;

/** About 4000 characters of numbered lines, so cuts and chunk order are easy to see. */
const LINES = 58;
const LONG_ANSWER = Array.from(
  { length: LINES },
  (_, i) =>
    `Line ${String(i + 1).padStart(2, "0")}: the quick brown fox jumps over the lazy dog and runs away.`,
).join("\n\n");

function longMode(h: Harness): void {
  const fixture = h.deriveFixture("long-answer", "codex/new_thread_command.jsonl", (lines) =>
    lines.map((l) => {
      const item = l.item as Record<string, unknown> | undefined;
      return item?.type === "agent_message" ? { ...l, item: { ...item, text: LONG_ANSWER } } : l;
    }),
  );
  h.mode("codex", "long", { any: { fixture } });
}

let trim: Harness;
let split: Harness;
beforeAll(async () => {
  trim = new Harness();
  split = new Harness({ overflow: "split" });
  await Promise.all([trim.start(), split.start()]);
  longMode(trim);
  longMode(split);
}, 30_000);
afterAll(async () => {
  await Promise.all([trim.dispose(), split.dispose()]);
}, 30_000);

test("the answer is long enough to need cutting", () => {
  expect(LONG_ANSWER.length).toBeGreaterThanOrEqual(4000);
  expect(LONG_ANSWER.length).toBeLessThan(4100);
});

test("trim mode: one message within the limit, the body cut with …, the footer intact", async () => {
  const id = trim.say("write me an essay");
  const final = await trim.waitFinal(id);
  await trim.fake.waitFor(() => trim.repliesTo(id).every((m) => m === final || m.deleted), {
    label: "progress message replaced",
  });
  const answers = trim.repliesTo(id).filter((m) => !m.deleted);
  expect(answers).toEqual([final]);
  expect(final.text).toMatch(/^done · codex/);
  expect(final.text.length).toBeLessThanOrEqual(LIMIT);
  expect(final.text).toMatch(RESUME);
  expect(final.text).toContain("Line 01: the quick brown fox");
  expect(final.text).not.toContain(`Line ${LINES}`);
  const body = final.text.replace(RESUME, "").trimEnd();
  expect(body.endsWith("…")).toBe(true);
  for (const e of final.entities) expect(e.offset + e.length).toBeLessThanOrEqual(final.text.length);
}, 20_000);

test("split mode: several messages within the limit, each numbered and with the resume line", async () => {
  const id = split.say("write me an essay");
  const final = await split.waitFinal(id);
  await split.fake.waitFor(() => split.repliesTo(id)[0]?.deleted, { label: "progress message replaced" });
  // The follow-up chunks are sent after the first; wait until the last one is there.
  const chunks = await split.fake.waitFor(
    () => {
      const live = split.repliesTo(id).filter((m) => !m.deleted);
      const total = Number(/continued \(\d+\/(\d+)\)/.exec(live.at(-1)?.text ?? "")?.[1] ?? 0);
      return total > 1 && live.length === total && live;
    },
    { timeout: 10_000, label: "all split chunks" },
  );
  expect(chunks[0]).toBe(final);
  expect(final.text).toMatch(/^done · codex/);
  const n = chunks.length;
  chunks.forEach((m, i) => {
    expect(m.text.length).toBeLessThanOrEqual(LIMIT);
    expect(m.text).toMatch(RESUME);
    if (i > 0) expect(m.text).toContain(`continued (${i + 1}/${n})`);
    for (const e of m.entities) expect(e.offset + e.length).toBeLessThanOrEqual(m.text.length);
  });
  // Nothing is lost: every line of the answer is in exactly one chunk, in order.
  const all = chunks.map((m) => m.text).join("\n");
  let at = -1;
  for (let i = 1; i <= LINES; i++) {
    const line = `Line ${String(i).padStart(2, "0")}: the quick brown fox`;
    const next = all.indexOf(line);
    expect(next).toBeGreaterThan(at);
    expect(all.indexOf(line, next + 1)).toBe(-1);
    at = next;
  }
  expect(all).not.toContain("…");
}, 20_000);
