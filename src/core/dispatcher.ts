import { getLogger } from "../logging/logger";
import { type ResumeToken, type RunOptions, type TakopiEvent, threadKey } from "../model";
import type { Runner } from "../runners/runner";
import type { MessageRef, RenderedParts, Transport } from "../transport";
import { DirectiveError, parseDirectives } from "./directives";
import { type BridgeDeps, handleMessage } from "./handle-message";
import type { ProgressView } from "./progress-view";
import { RunningTask, type RunningTasks, refKey } from "./running-tasks";
import type { ThreadScheduler } from "./scheduler";

const log = getLogger("dispatch");

/** What the dispatcher needs to know about engines; implemented by the router. */
export interface EngineDirectory {
  readonly defaultEngine: string;
  /** Every configured engine id, lowercase (directives may name any of them). */
  engineIds(): readonly string[];
  /** The runner if the engine can run, or why it cannot. */
  lookup(engine: string): { runner: Runner } | { error: string };
  resolveResume(text: string, replyText?: string): ResumeToken | undefined;
  /** Removes resume lines of any engine; an empty result becomes `continue`. */
  stripResumeLines(prompt: string): string;
}

export interface ViewOptions {
  readonly engine: string;
  readonly runner?: Runner;
  readonly contextLine?: string;
}

export interface DispatcherDeps {
  readonly engines: EngineDirectory;
  readonly transport: Transport;
  readonly scheduler: ThreadScheduler;
  readonly running: RunningTasks;
  readonly bridge: BridgeDeps;
  readonly newView: (opts: ViewOptions) => ProgressView;
  /** Directory runs start in when no project applies. */
  readonly cwd: string;
  readonly botUsername?: string;
  readonly projectAliases?: () => ReadonlySet<string>;
  readonly runOptions?: (engine: string) => RunOptions | undefined;
  /** Notes injected before an engine's events (e.g. unsupported overrides). */
  readonly preludeEvents?: (engine: string, options: RunOptions | undefined) => TakopiEvent[];
}

/** A prompt from chat, already past intake and coalescing. */
export interface PromptMessage {
  readonly ref: MessageRef;
  readonly text: string;
  readonly replyTo?: MessageRef;
  readonly replyText?: string;
}

function plain(text: string): RenderedParts {
  return { header: text, body: "", footer: "" };
}

/**
 * Turns a prompt into a run: directives, resume resolution, engine choice,
 * then either a new thread right away or a queued job on an existing thread.
 * Every path ends in a message to the user.
 */
export class Dispatcher {
  readonly #pendingRuns = new Set<Promise<unknown>>();
  /** Engine of each queued job, by job id, so a dropped job's placeholder can say which. */
  readonly #queuedEngine = new Map<string, string>();

  constructor(readonly deps: DispatcherDeps) {}

  /** Resolves when the prompt is running or queued (not when it finishes). */
  async submit(msg: PromptMessage): Promise<void> {
    const { engines, running } = this.deps;
    let directives: ReturnType<typeof parseDirectives>;
    try {
      directives = parseDirectives(msg.text, {
        engines: new Set(engines.engineIds()),
        projects: this.deps.projectAliases?.() ?? new Set(),
        ...(this.deps.botUsername ? { botUsername: this.deps.botUsername } : {}),
      });
    } catch (error) {
      if (error instanceof DirectiveError)
        return void (await this.reply(msg.ref, `error:\n${error.message}`));
      throw error;
    }

    let resume = engines.resolveResume(directives.prompt, msg.replyText);
    // A reply to a progress message that is still running continues that thread once it is known.
    const replyTask = msg.replyTo ? running.get(msg.replyTo) : undefined;
    if (!resume && replyTask) {
      resume = replyTask.resume ?? (await replyTask.resumeReady);
      if (!resume) {
        await this.reply(msg.ref, "resume token not ready yet; try replying to the final message.", false);
        return;
      }
    }

    const engine = resume?.engine ?? directives.engine ?? engines.defaultEngine;
    const found = engines.lookup(engine);
    const prompt = engines.stripResumeLines(directives.prompt);
    if ("error" in found) {
      const view = this.deps.newView({ engine });
      if (resume) view.note({ type: "started", engine, resume });
      await this.deps.transport.send(
        msg.ref.channelId,
        view.final({ type: "failed", error: found.error }, 0).parts,
        {
          replyTo: msg.ref,
          notify: true,
          ...(msg.ref.threadId !== undefined ? { threadId: msg.ref.threadId } : {}),
        },
      );
      return;
    }
    const options = this.deps.runOptions?.(engine);
    const start = (placeholder?: MessageRef) =>
      this.#run(msg.ref, found.runner, prompt, resume, options, placeholder);

    if (!resume) {
      this.#track(start());
      return;
    }
    // Continuing a thread: show a queued placeholder, then wait for the thread to be free.
    const queuedView = this.deps.newView({ engine, runner: found.runner });
    const placeholder = await this.deps.transport.send(msg.ref.channelId, queuedView.progress("queued", 0), {
      replyTo: msg.ref,
      notify: false,
      cancelButton: true,
      ...(msg.ref.threadId !== undefined ? { threadId: msg.ref.threadId } : {}),
    });
    const id = placeholder ? refKey(placeholder) : `${refKey(msg.ref)}:queued`;
    this.#queuedEngine.set(id, engine);
    this.deps.scheduler.enqueue({
      key: threadKey(resume),
      id,
      run: () => {
        this.#queuedEngine.delete(id);
        return start(placeholder);
      },
    });
  }

  /** `/cancel` or the cancel button on a progress or queued message. */
  async cancel(target: MessageRef): Promise<"cancelled" | "dropped" | "nothing"> {
    const task = this.deps.running.get(target);
    if (task) {
      task.cancel();
      return "cancelled";
    }
    const id = refKey(target);
    if (this.deps.scheduler.cancelQueued(id)) {
      const engine = this.#queuedEngine.get(id) ?? this.deps.engines.defaultEngine;
      this.#queuedEngine.delete(id);
      const { parts } = this.deps.newView({ engine }).final({ type: "cancelled" }, 0);
      // Not awaited: the caller answers the button press now, the edit follows at the chat's pace.
      void this.deps.transport.edit(target, parts, { cancelButton: false, wait: true });
      return "dropped";
    }
    return "nothing";
  }

  async reply(to: MessageRef, text: string, notify = true): Promise<void> {
    await this.deps.transport.send(to.channelId, plain(text), {
      replyTo: to,
      notify,
      ...(to.threadId !== undefined ? { threadId: to.threadId } : {}),
    });
  }

  /** Waits for every run started so far (used at shutdown and in tests). */
  async idle(): Promise<void> {
    while (this.#pendingRuns.size > 0) await Promise.allSettled([...this.#pendingRuns]);
  }

  /** Cancels every running task (graceful shutdown). */
  cancelAll(): void {
    for (const task of this.deps.running.all()) task.cancel();
  }

  #track(promise: Promise<unknown>): void {
    this.#pendingRuns.add(promise);
    void promise.finally(() => this.#pendingRuns.delete(promise));
  }

  async #run(
    incoming: MessageRef,
    runner: Runner,
    prompt: string,
    resume: ResumeToken | undefined,
    options: RunOptions | undefined,
    placeholder: MessageRef | undefined,
  ): Promise<void> {
    const task = new RunningTask(runner.engine, resume);
    const view = this.deps.newView({ engine: runner.engine, runner });
    if (resume) view.note({ type: "started", engine: runner.engine, resume });
    const run = handleMessage(this.deps.bridge, {
      runner,
      request: { prompt, cwd: this.deps.cwd, ...(resume ? { resume } : {}), ...(options ? { options } : {}) },
      incoming,
      view,
      task,
      ...(placeholder ? { placeholder } : {}),
      preludeEvents: this.deps.preludeEvents?.(runner.engine, options) ?? [],
      onThreadKnown: (token, done) => {
        if (!resume) this.deps.scheduler.noteThreadKnown(threadKey(token), done);
      },
    });
    this.#track(run);
    try {
      await run;
    } catch (error) {
      log.error("dispatch.run.failed", { engine: runner.engine, error });
    }
  }
}
