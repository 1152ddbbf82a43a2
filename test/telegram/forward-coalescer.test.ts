import { expect, test } from "bun:test";
import { coalescedText, ForwardCoalescer, type PendingPrompt } from "../../src/telegram/forward-coalescer";
import { incomingMessage } from "../support/incoming-message";

const msg = incomingMessage;

test("forwards inside the window join the pending prompt", async () => {
  const out: PendingPrompt[] = [];
  const c = new ForwardCoalescer(30, (p) => out.push(p));
  c.addPrompt(msg("summarise these"));
  expect(c.addForward(msg("first", { isForward: true }))).toBe(true);
  expect(c.addForward(msg("second", { isForward: true }))).toBe(true);
  expect(out).toHaveLength(0);
  await Bun.sleep(60);
  expect(out.map(coalescedText)).toEqual(["summarise these\n\nfirst\n\nsecond"]);
});

test("a second prompt in the window does not drop the first (decisions.md 7)", async () => {
  const out: string[] = [];
  const c = new ForwardCoalescer(30, (p) => out.push(coalescedText(p)));
  c.addPrompt(msg("one"));
  c.addPrompt(msg("two"));
  expect(out).toEqual(["one"]);
  await Bun.sleep(60);
  expect(out).toEqual(["one", "two"]);
});

test("no window, or no sender: dispatched at once; stray forwards are refused", () => {
  const out: string[] = [];
  new ForwardCoalescer(0, (p) => out.push(coalescedText(p))).addPrompt(msg("a"));
  const c = new ForwardCoalescer(30, (p) => out.push(coalescedText(p)));
  c.addPrompt(msg("b", { senderId: undefined }));
  expect(out).toEqual(["a", "b"]);
  expect(c.addForward(msg("x", { isForward: true }))).toBe(false);
});

test("cancel drops the pending prompt", () => {
  const out: string[] = [];
  const c = new ForwardCoalescer(30, (p) => out.push(coalescedText(p)));
  const m = msg("x");
  c.addPrompt(m);
  expect(c.cancel(ForwardCoalescer.key(m))?.message.text).toBe("x");
  c.flushAll();
  expect(out).toEqual([]);
});
