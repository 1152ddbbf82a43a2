import type { Api } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import type { TakopiConfig, TelegramConfig } from "../config/schema";
import { Dispatcher } from "../core/dispatcher";
import type { BridgeDeps } from "../core/handle-message";
import type { Router } from "../core/router";
import { RunningTasks } from "../core/running-tasks";
import { ThreadScheduler } from "../core/scheduler";
import { getLogger } from "../logging/logger";
import { createProgressView } from "../render/progress-view";
import { reasoningIgnoredNote } from "../runners/run-notes";
import { startupBanner } from "./banner";
import { classifyError, createTelegramApi, describeError } from "./client";
import { type Incoming, parseUpdate } from "./incoming";
import { Intake } from "./intake";
import { commandMenu } from "./menu";
import { Outbox, type OutboxOptions } from "./outbox";
import { Poller, type PollerOptions } from "./poller";
import { TelegramTransport } from "./transport";
import { UpdateHandler } from "./update-handler";

const log = getLogger("telegram.bridge");

export interface TelegramBridgeOptions {
  readonly config: TakopiConfig;
  readonly telegram: TelegramConfig;
  readonly router: Router;
  /** Where runs start when no project applies: the directory takopi was started in. */
  readonly cwd: string;
  readonly finalNotify: boolean;
  /** Aborting it shuts the bridge down gracefully. */
  readonly signal: AbortSignal;
  /** Test and bench knobs. */
  readonly outbox?: OutboxOptions;
  readonly poller?: PollerOptions;
  readonly idleRefreshMs?: number;
  /** Called once the bridge is polling (the banner has been sent). */
  readonly onReady?: (info: { bot: UserFromGetMe }) => void;
}

/** A startup problem the user must fix (bad token, unreachable API). */
export class BridgeStartError extends Error {
  override name = "BridgeStartError";
  readonly exitCode = 1;
}

const BACKLOG_REPLY =
  "takopi was not running when this arrived, so it was not run. send it again to run it now.";
const SHUTDOWN_REPLY = "takopi stopped before this could run. send it again once takopi is back.";

async function whoAmI(api: Api, signal: AbortSignal): Promise<UserFromGetMe> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await api.getMe();
    } catch (error) {
      const failure = classifyError(error);
      if (failure.kind === "unauthorized") {
        throw new BridgeStartError(
          "the bot token was rejected by Telegram (401 Unauthorized); check transports.telegram.bot_token",
        );
      }
      if (attempt >= 5 || signal.aborted || (failure.kind !== "network" && failure.kind !== "server")) {
        throw new BridgeStartError(`could not reach the Telegram Bot API: ${describeError(error)}`);
      }
      log.warning("telegram.getme.retry", { attempt, error: failure.description });
      await Bun.sleep(Math.min(1000 * 2 ** (attempt - 1), 8000));
    }
  }
}

function allowedChats(config: TakopiConfig, telegram: TelegramConfig): Set<number> {
  const chats = new Set<number>([telegram.chat_id, ...telegram.allowed_user_ids]);
  for (const project of Object.values(config.projects)) {
    if (project.chat_id !== undefined && project.chat_id !== null) chats.add(project.chat_id);
  }
  return chats;
}

/**
 * The Telegram bridge from startup to shutdown: who am I, command menu,
 * backlog replies, banner, then the poll loop until the signal aborts.
 */
export async function runTelegramBridge(opts: TelegramBridgeOptions): Promise<void> {
  const { config, telegram, router, signal } = opts;
  const api = createTelegramApi(telegram.bot_token, { apiRoot: telegram.api_root });
  const bot = await whoAmI(api, signal);
  const botUsername = bot.username?.toLowerCase();
  log.info("telegram.bridge.start", { bot: bot.username, chat_id: telegram.chat_id });

  const outbox = new Outbox(api, opts.outbox);
  const transport = new TelegramTransport(outbox, { messageOverflow: telegram.message_overflow });
  const running = new RunningTasks();
  const bridge: BridgeDeps = {
    transport,
    running,
    clock: () => performance.now() / 1000,
    finalNotify: opts.finalNotify,
    idleRefreshMs: opts.idleRefreshMs ?? 10_000,
    editDebounceMs: 100,
  };
  const projectAliases = new Set(Object.keys(config.projects).map((a) => a.toLowerCase()));
  const dispatcher = new Dispatcher({
    engines: router,
    transport,
    scheduler: new ThreadScheduler(),
    running,
    bridge,
    cwd: opts.cwd,
    ...(botUsername ? { botUsername } : {}),
    projectAliases: () => projectAliases,
    newView: ({ engine, runner }) =>
      createProgressView(engine, {
        cwd: opts.cwd,
        ...(runner ? { formatResume: (t) => runner.formatResume(t) } : {}),
      }),
    preludeEvents: (engine, options) =>
      options?.reasoning && engine !== "codex" ? [reasoningIgnoredNote(engine)] : [],
  });
  const chats = allowedChats(config, telegram);
  const intake = new Intake({
    allowedChats: () => chats,
    allowedUserIds: new Set(telegram.allowed_user_ids),
  });
  const handler = new UpdateHandler({
    intake,
    dispatcher,
    answerCallback: async (id, text) => void (await transport.answerCallback(id, text)),
    forwardCoalesceMs: telegram.forward_coalesce_s * 1000,
    filesEnabled: telegram.files.enabled,
    ...(botUsername ? { botUsername } : {}),
  });

  void transport.setCommands(commandMenu({ engines: router.availableEngines() }));
  const poller = new Poller(api, opts.poller);
  try {
    await answerBacklog(await poller.drainBacklog(signal), intake, transport);
    await transport.send(telegram.chat_id, { header: startupBanner(bannerInfo(opts)), body: "", footer: "" });
    opts.onReady?.({ bot });
    for await (const update of poller.updates(signal)) {
      const incoming = parseUpdate(update);
      if (!incoming) continue;
      void handler.handle(incoming).catch((error) => log.error("telegram.update.failed", { error }));
    }
  } finally {
    await shutdown(handler, dispatcher, transport);
  }
}

/** decisions.md 6: prompts sent while takopi was down are not run, but their senders are told. */
async function answerBacklog(
  updates: readonly Update[],
  intake: Intake,
  transport: TelegramTransport,
): Promise<void> {
  const replies: Promise<unknown>[] = [];
  for (const update of updates) {
    const incoming: Incoming | undefined = parseUpdate(update);
    if (!incoming || intake.check(incoming) !== "accept") continue;
    if (incoming.kind === "callback") {
      replies.push(
        transport.answerCallback(incoming.callbackId, "takopi restarted; this button no longer applies."),
      );
      continue;
    }
    const ref = {
      channelId: incoming.chatId,
      messageId: incoming.messageId,
      ...(incoming.threadId !== undefined ? { threadId: incoming.threadId } : {}),
    };
    replies.push(
      transport.send(
        incoming.chatId,
        { header: BACKLOG_REPLY, body: "", footer: "" },
        { replyTo: ref, notify: false },
      ),
    );
  }
  await Promise.allSettled(replies);
}

/** Graceful stop: pending prompts are told, running runs are cancelled and say so, the outbox drains. */
async function shutdown(
  handler: UpdateHandler,
  dispatcher: Dispatcher,
  transport: TelegramTransport,
): Promise<void> {
  const pending = handler.coalescer.takeAll();
  await Promise.allSettled(
    pending.map((p) =>
      dispatcher.reply(
        {
          channelId: p.message.chatId,
          messageId: p.message.messageId,
          ...(p.message.threadId !== undefined ? { threadId: p.message.threadId } : {}),
        },
        SHUTDOWN_REPLY,
      ),
    ),
  );
  dispatcher.cancelAll();
  // A cleared timer, not Bun.sleep: a pending sleep would keep the process alive for its full 8 s.
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([dispatcher.idle(), new Promise<void>((done) => (timer = setTimeout(done, 8000)))]);
  clearTimeout(timer);
  await transport.close();
  log.info("telegram.bridge.stopped");
}

function bannerInfo(opts: TelegramBridgeOptions) {
  const { router, telegram, config } = opts;
  const entries = router.entries;
  return {
    defaultEngine: router.defaultEngine,
    available: router.availableEngines(),
    missing: entries.filter((e) => e.status === "missing_cli").map((e) => e.engine),
    misconfigured: entries.filter((e) => e.status === "bad_config").map((e) => e.engine),
    failed: entries.filter((e) => e.status === "load_error").map((e) => e.engine),
    projects: Object.keys(config.projects),
    // Say plainly what this version does rather than echo settings it does not act on yet.
    sessionMode:
      telegram.session_mode === "chat" ? "stateless (chat sessions are not available yet)" : "stateless",
    topics: telegram.topics.enabled ? "disabled (topics are not available yet)" : "disabled",
    showResumeLine: telegram.show_resume_line,
    cwd: opts.cwd,
  };
}
