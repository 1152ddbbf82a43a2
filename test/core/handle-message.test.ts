import { expect, test } from "bun:test";
import { type BridgeDeps, handleMessage } from "../../src/core/handle-message";
import { RunningTask, RunningTasks } from "../../src/core/running-tasks";
import { setLogLevel } from "../../src/logging/logger";
import { createProgressView } from "../../src/render/progress-view";
import type { MessageRef, RenderedParts, SendOptions } from "../../src/transport";
import { RecordingTransport } from "../support/recording-transport";
import { scripted } from "../support/scripted-runner";

setLogLevel("error");

const incoming: MessageRef = { channelId: 7, messageId: 1 };

function deps(transport: RecordingTransport, over: Partial<BridgeDeps> = {}): BridgeDeps {
  const t0 = performance.now();
  return {
    transport,
    running: new RunningTasks(),
    clock: () => (performance.now() - t0) / 1000,
    finalNotify: true,
    idleRefreshMs: 10_000,
    editDebounceMs: 0,
    ...over,
  };
}

test("a quiet run still gets its progress message refreshed (decisions.md 18)", async () => {
  const transport = new RecordingTransport();
  const runner = scripted("codex", (_r, f) => [
    { emit: f.started({ engine: "codex", value: "t" })! },
    { emit: f.actionStarted("a", "command", "sleep 2") },
    { sleep: 2300 },
    { emit: f.completedOk("ok") },
  ]);
  const view = createProgressView("codex", { formatResume: (t) => runner.formatResume(t) });
  await handleMessage(deps(transport, { idleRefreshMs: 1000 }), {
    runner,
    request: { prompt: "x", cwd: "/" },
    incoming,
    view,
    task: new RunningTask("codex"),
  });
  // No event arrives for 2.3 s, yet the header's elapsed time moved on at least twice.
  const headers = transport.calls.flatMap((c) => (c.op === "edit" ? [c.parts.header] : []));
  expect(headers).toContain("working · codex · 1s · step 1");
  expect(headers).toContain("working · codex · 2s · step 1");
});

test("a final answer whose send fails for good is written into the progress message", async () => {
  class FailingFinals extends RecordingTransport {
    override async send(channelId: number, parts: RenderedParts, opts: SendOptions = {}) {
      return opts.final ? undefined : super.send(channelId, parts, opts);
    }
  }
  const transport = new FailingFinals();
  const runner = scripted("codex", (_r, f) => [
    { emit: f.started({ engine: "codex", value: "t" })! },
    { emit: f.completedOk("the answer") },
  ]);
  const view = createProgressView("codex", { formatResume: (t) => runner.formatResume(t) });
  const status = await handleMessage(deps(transport), {
    runner,
    request: { prompt: "x", cwd: "/" },
    incoming,
    view,
    task: new RunningTask("codex"),
  });
  expect(status).toBe("done");
  const last = transport.calls.at(-1);
  expect(last).toMatchObject({ op: "edit", ref: { messageId: 1000 }, parts: { body: "the answer" } });
});
