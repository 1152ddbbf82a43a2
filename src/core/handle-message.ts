import { getLogger } from "../logging/logger";
import type { CompletedEvent, ResumeToken, TakopiEvent } from "../model";
import { errorText } from "../render/presenter";
import type { Runner, RunRequest } from "../runners/runner";
import type { MessageRef, RenderedParts, Transport } from "../transport";
import type { FinalStatus, ProgressView, RunOutcome } from "./progress-view";
import type { RunningTask, RunningTasks } from "./running-tasks";

const log = getLogger("bridge");

export interface BridgeDeps {
  readonly transport: Transport;
  readonly running: RunningTasks;
  /** Seconds, monotonic. */
  readonly clock: () => number;
  /** Final answer as a new notifying message (default) or as an edit of the progress message. */
  readonly finalNotify: boolean;
  /** Re-render the progress message this often while no event arrives (decisions.md 18). */
  readonly idleRefreshMs: number;
  /** Events arriving closer together than this are rendered once. */
  readonly editDebounceMs: number;
}

export interface HandleMessageInput {
  readonly runner: Runner;
  readonly request: RunRequest;
  /** The user's message: progress and final messages reply to it. */
  readonly incoming: MessageRef;
  readonly view: ProgressView;
  readonly task: RunningTask;
  /** A `queued` placeholder to turn into the progress message instead of sending a new one. */
  readonly placeholder?: MessageRef;
  /** Events to show before the runner's own (e.g. "reasoning override is not supported"). */
  readonly preludeEvents?: readonly TakopiEvent[];
  /** Fires once, when the run's thread becomes known. */
  readonly onThreadKnown?: (token: ResumeToken, done: Promise<void>) => void;
}

function sameParts(a: RenderedParts | undefined, b: RenderedParts): boolean {
  return a !== undefined && a.header === b.header && a.body === b.body && a.footer === b.footer;
}

/**
 * Runs one prompt and keeps its progress message up to date until the final
 * answer replaces it. Transport-agnostic: everything goes through `Transport`.
 */
export async function handleMessage(deps: BridgeDeps, input: HandleMessageInput): Promise<FinalStatus> {
  const { transport, running, clock } = deps;
  const { view, task, incoming } = input;
  const startedAt = clock();
  const elapsed = () => clock() - startedAt;
  const threadId = incoming.threadId;

  for (const event of input.preludeEvents ?? []) view.note(event);

  // 1. The progress message: a silent reply with a cancel button. The engine starts at the
  // same time rather than after it: in a busy chat the send can wait seconds for its pacing slot.
  const first = view.progress("starting", 0);
  let progressRef: MessageRef | undefined;
  let lastParts: RenderedParts | undefined = first;
  let lastRenderAt = clock();
  let renderTimer: ReturnType<typeof setTimeout> | undefined;
  let finished = false;
  const renderProgress = () => {
    renderTimer = undefined;
    if (!progressRef || task.cancelRequested || finished) return;
    const parts = view.progress("working", elapsed());
    lastRenderAt = clock();
    if (sameParts(lastParts, parts)) return;
    lastParts = parts;
    void transport.edit(progressRef, parts, { cancelButton: true });
  };
  const scheduleRender = () => {
    if (renderTimer === undefined) renderTimer = setTimeout(renderProgress, deps.editDebounceMs);
  };
  const progressSent = (async () => {
    try {
      await sendProgress();
    } catch (error) {
      log.error("bridge.progress.failed", { chat: incoming.channelId, error });
    }
  })();
  async function sendProgress(): Promise<void> {
    if (input.placeholder) {
      const edited = await transport.edit(input.placeholder, first, { cancelButton: true, wait: true });
      if (edited) progressRef = input.placeholder;
      else void transport.delete(input.placeholder);
    }
    progressRef ??= await transport.send(incoming.channelId, first, {
      replyTo: incoming,
      notify: false,
      cancelButton: true,
      ...(threadId !== undefined ? { threadId } : {}),
    });
    if (!progressRef) return;
    running.add(progressRef, task);
    // Events that arrived while the message was on its way show up now.
    scheduleRender();
  }
  const idleTimer = setInterval(() => {
    if ((clock() - lastRenderAt) * 1000 >= deps.idleRefreshMs * 0.9) renderProgress();
  }, deps.idleRefreshMs);

  // 2. Consume the runner's events.
  let completed: CompletedEvent | undefined;
  let failure: string | undefined;
  let threadKnown = false;
  try {
    for await (const event of input.runner.run(input.request, task.controller.signal)) {
      if (event.type === "started") {
        task.setResume(event.resume);
        if (!threadKnown) {
          threadKnown = true;
          input.onThreadKnown?.(event.resume, task.done);
        }
      }
      if (view.note(event)) scheduleRender();
      if (event.type === "completed") {
        completed = event;
        break;
      }
    }
    if (!completed && !task.cancelRequested) failure = "runner finished without a completed event";
  } catch (error) {
    if (!task.cancelRequested) {
      failure = errorText(error);
      log.error("bridge.run.failed", { engine: input.runner.engine, error: failure });
    }
  } finally {
    finished = true;
    clearInterval(idleTimer);
    await progressSent;
    if (renderTimer !== undefined) clearTimeout(renderTimer);
  }

  // 3. The outcome replaces the progress message.
  const outcome: RunOutcome =
    task.cancelRequested && !completed
      ? { type: "cancelled" }
      : failure !== undefined
        ? { type: "failed", error: failure }
        : completed!;
  const { status, parts } = view.final(outcome, elapsed());

  try {
    await deliverFinal(deps, input, progressRef, parts, status);
  } finally {
    if (progressRef) running.remove(progressRef, task);
    task.finish();
  }
  return status;
}

async function deliverFinal(
  deps: BridgeDeps,
  input: HandleMessageInput,
  progressRef: MessageRef | undefined,
  parts: RenderedParts,
  outcome: FinalStatus,
): Promise<void> {
  const { transport } = deps;
  const { incoming } = input;
  const threadId = incoming.threadId;
  const sendNew = (notify: boolean) =>
    transport.send(incoming.channelId, parts, {
      replyTo: incoming,
      notify,
      final: true,
      ...(progressRef ? { replace: progressRef } : {}),
      ...(threadId !== undefined ? { threadId } : {}),
    });

  // Errors and cancellations stay where the user was looking; a success notifies.
  const inPlace = outcome !== "done" || !deps.finalNotify;
  if (inPlace && progressRef) {
    const edited = await transport.edit(progressRef, parts, { wait: true, final: true, cancelButton: false });
    if (edited) return;
  }
  const sent = await sendNew(outcome === "done");
  if (sent) return;
  // The send failed even after the outbox's retries: the progress message is still there
  // (it is only deleted once a replacement lands), so put the answer into it instead.
  const rescued =
    !inPlace && progressRef !== undefined
      ? await transport.edit(progressRef, parts, { wait: true, final: true, cancelButton: false })
      : false;
  if (!rescued) log.error("bridge.final.undelivered", { chat: incoming.channelId, outcome });
}
