import { expect, test } from "bun:test";
import type { ProgressView } from "../../src/core/progress-view";
import { EventFactory, type ResumeToken } from "../../src/model";
import { createProgressView } from "../../src/render/progress-view";

const f = new EventFactory("claude");
const formatResume = (t: ResumeToken) => `\`claude --resume ${t.value}\``;

test("the bridge's ProgressView is backed by tracker + presenter", () => {
  const view: ProgressView = createProgressView("claude", { formatResume, contextLine: "`ctx: web`" });
  expect(view.progress("starting", 0)).toEqual({
    header: "starting · claude · 0s",
    body: "",
    footer: "`ctx: web`",
  });
  expect(view.note({ type: "started", engine: "claude", resume: { engine: "claude", value: "s1" } })).toBe(
    true,
  );
  expect(view.note(f.actionStarted("t1", "tool", "read: `a.ts`"))).toBe(true);
  expect(view.note(f.actionStarted("t1", "tool", "read: `a.ts`"))).toBe(true);
  expect(view.note(f.actionUpdated("t1", "tool", "read: `a.ts`"))).toBe(false);
  expect(view.progress("working", 12.7)).toEqual({
    header: "working · claude · 12s · step 1",
    body: "↻ tool: read: `a.ts`",
    footer: "`ctx: web`  \n`claude --resume s1`",
  });
  expect(view.final({ type: "completed", ok: true, answer: "all good" }, 75)).toEqual({
    status: "done",
    parts: {
      header: "done · claude · 1m 15s · step 1",
      body: "all good",
      footer: "`ctx: web`  \n`claude --resume s1`",
    },
  });
  expect(view.final({ type: "cancelled" }, 75).parts.header).toBe("`cancelled` · claude · 1m 15s · step 1");
});
