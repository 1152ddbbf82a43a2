import { expect, test } from "bun:test";
import { Dispatcher } from "../../src/core/dispatcher";
import { Router } from "../../src/core/router";
import { RunningTasks } from "../../src/core/running-tasks";
import { ThreadScheduler } from "../../src/core/scheduler";
import { setLogLevel } from "../../src/logging/logger";
import { createProgressView } from "../../src/render/progress-view";
import type { IncomingCallback } from "../../src/telegram/incoming";
import { Intake } from "../../src/telegram/intake";
import { slashCommand, UpdateHandler } from "../../src/telegram/update-handler";
import { incomingMessage, nextUpdateId } from "../support/incoming-message";
import { RecordingTransport } from "../support/recording-transport";
import { scripted, simpleRun } from "../support/scripted-runner";

setLogLevel("error");

const msg = incomingMessage;

function setup(opts: { filesEnabled?: boolean } = {}) {
  const transport = new RecordingTransport();
  const running = new RunningTasks();
  const codex = scripted("codex", simpleRun("t1", "done it"));
  const answers: { id: string; text?: string }[] = [];
  const dispatcher = new Dispatcher({
    engines: new Router([{ engine: "codex", runner: codex, status: "ok" }], "codex"),
    transport,
    scheduler: new ThreadScheduler(),
    running,
    bridge: {
      transport,
      running,
      clock: () => 0,
      finalNotify: true,
      idleRefreshMs: 10_000,
      editDebounceMs: 0,
    },
    newView: ({ engine, runner }) =>
      createProgressView(engine, runner ? { formatResume: (t) => runner.formatResume(t) } : {}),
    cwd: "/repo",
  });
  const handler = new UpdateHandler({
    intake: new Intake({ allowedChats: () => new Set([5]), allowedUserIds: new Set() }),
    dispatcher,
    answerCallback: async (id, text) => void answers.push({ id, ...(text ? { text } : {}) }),
    forwardCoalesceMs: 0,
    botUsername: "takopi_bot",
    ...(opts.filesEnabled !== undefined ? { filesEnabled: opts.filesEnabled } : {}),
  });
  const replies = () => transport.calls.flatMap((c) => (c.op === "send" ? [c.parts.header] : []));
  return { handler, dispatcher, codex, answers, replies };
}

test.each([
  ["/cancel", "reply to the progress message to cancel."],
  ["/new", "no stored session to clear: every new message already starts a new thread."],
  ["/model set gpt", "`/model` is not available in this version of takopi yet."],
])("%s gets a direct answer and runs nothing", async (text, reply) => {
  const { handler, codex, replies } = setup();
  await handler.handle(msg(text));
  expect(replies()).toEqual([reply]);
  expect(codex.calls).toHaveLength(0);
});

test("documents, voice notes, empty messages and stray forwards are answered, never dropped", async () => {
  const { handler, codex, replies } = setup();
  await handler.handle(msg("caption", { hasDocument: true }));
  await handler.handle(msg("", { hasVoice: true }));
  await handler.handle(msg("   "));
  await handler.handle(msg("fwd", { isForward: true }));
  expect(replies()).toEqual([
    "file transfer is disabled. to enable it, set `enabled = true` under `[transports.telegram.files]` in your takopi config.",
    "voice notes can't be transcribed yet in this version of takopi; please send your prompt as text.",
    "this message has no text to run. send a prompt as text.",
    "got a forwarded message with no prompt to attach it to. send your prompt first, then forward messages right after it.",
  ]);
  expect(codex.calls).toHaveLength(0);
});

test("a prompt runs; a cancel button on nothing is answered", async () => {
  const { handler, dispatcher, codex, answers } = setup();
  await handler.handle(msg("hello"));
  await Bun.sleep(5);
  await dispatcher.idle();
  expect(codex.calls[0]?.prompt).toBe("hello");
  const cb: IncomingCallback = {
    kind: "callback",
    updateId: nextUpdateId(),
    callbackId: "cb1",
    chatId: 5,
    messageId: 999,
    senderId: 7,
    data: "takopi:cancel",
  };
  await handler.handle(cb);
  expect(answers).toEqual([{ id: "cb1", text: "nothing is currently running for that message." }]);
});

test.each([
  ["/cancel", "cancel"],
  ["/Cancel@takopi_bot now", "cancel"],
  ["/cancel@other_bot", undefined],
  ["hello", undefined],
  ["/", undefined],
])("slashCommand(%p) = %p", (text, expected) => {
  expect(slashCommand(text, "takopi_bot")).toBe(expected);
});
