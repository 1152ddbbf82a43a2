import { expect, test } from "bun:test";
import { ExecView } from "../../src/cli/exec-view";
import { EventFactory, type TakopiEvent } from "../../src/model";
import { ProgressTracker } from "../../src/progress/tracker";
import { Presenter } from "../../src/render/presenter";

const f = new EventFactory("codex");
const EVENTS: TakopiEvent[] = [
  { type: "started", engine: "codex", resume: { engine: "codex", value: "T1" } },
  f.actionStarted("turn_0", "turn", "turn"),
  f.actionStarted("c1", "command", "/w/repo/run.sh"),
  f.actionCompleted("c1", "command", "/w/repo/run.sh", false, { exit_code: 3 }),
  f.actionCompleted("p1", "file_change", "x", true, { changes: [{ path: "/w/repo/a.ts", kind: "add" }] }),
];

function setup(live: boolean) {
  const out: string[] = [];
  const tracker = new ProgressTracker("codex");
  const presenter = new Presenter({ formatResume: (t) => `\`codex resume ${t.value}\``, cwd: "/w/repo" });
  const view = new ExecView({
    tracker,
    presenter,
    write: (s) => out.push(s),
    live,
    columns: () => 40,
    elapsed: () => 3,
    cwd: "/w/repo",
  });
  return { out, tracker, view };
}

test("not a terminal: one appended line per visible change, then the final header", () => {
  const { out, tracker, view } = setup(false);
  view.start();
  for (const e of EVENTS) view.update(e, tracker.note(e));
  view.finish("error");
  expect(out.join("")).toBe(
    [
      "starting · codex · 0s",
      "▸ `/w/repo/run.sh`",
      "✗ `/w/repo/run.sh` (exit 3)",
      "✓ files: add `a.ts`",
      "error · codex · 3s · step 2",
      "",
    ].join("\n"),
  );
});

test("terminal: the block is redrawn in place, lines fitted to the width", async () => {
  const { out, tracker, view } = setup(true);
  view.start();
  expect(out).toEqual(["\x1b[Jstarting · codex · 3s\n"]);
  for (const e of EVENTS) view.update(e, tracker.note(e));
  await Bun.sleep(80); // one coalesced redraw
  expect(out).toHaveLength(2);
  expect(out[1]).toBe(
    "\x1b[1F\x1b[J" +
      [
        "working · codex · 3s · step 2",
        "✗ `/w/repo/run.sh` (exit 3)",
        "✓ files: add `a.ts`",
        "`codex resume T1`",
        "",
      ].join("\n"),
  );
  view.finish("done");
  expect(out[2]).toBe(
    "\x1b[4F\x1b[J" +
      ["done · codex · 3s · step 2", "✗ `/w/repo/run.sh` (exit 3)", "✓ files: add `a.ts`", ""].join("\n"),
  );
  await Bun.sleep(60);
  expect(out).toHaveLength(3); // no timers left behind
});
