// `takopi [engine]`: the Telegram bridge. Checks the setup the way a user
// would want it checked (config, transport, engine CLI, lock), then polls
// until Ctrl-C or SIGTERM, shutting down gracefully.
import { existsSync } from "node:fs";
import { ConfigError } from "../../config/errors";
import { loadConfig, requireTelegram } from "../../config/load";
import { displayPath, resolveConfigPath } from "../../config/paths";
import { buildRouter, INSTALL_HINTS } from "../../core/engines";
import { configureLogging } from "../../logging/configure";
import { acquireLock } from "../../state/lockfile";
import { runTelegramBridge } from "../../telegram/bridge";
import { type Command, type GlobalOptions, UsageError } from "../command";
import { printError } from "../output";

const USAGE = `usage: takopi [run] [ENGINE] [--no-final-notify]

Runs the Telegram bridge in the current directory.
  ENGINE              default engine for new threads (codex, claude, opencode, pi)
  --no-final-notify   edit the progress message into the final answer instead of
                      sending the answer as a new (notifying) message

Stop with Ctrl-C: running agents are cancelled and their messages say so.`;

export interface RunArgs {
  readonly engine?: string;
  readonly finalNotify: boolean;
}

export function parseRunArgs(args: readonly string[]): RunArgs {
  let engine: string | undefined;
  let finalNotify = true;
  for (const arg of args) {
    if (arg === "--no-final-notify") finalNotify = false;
    else if (arg === "--final-notify") finalNotify = true;
    else if (arg === "--onboard") {
      throw new UsageError(
        "the setup wizard is not available in this version; create the config with `takopi config set` (see docs/config.md)",
      );
    } else if (arg.startsWith("-")) throw new UsageError(`unknown option: ${arg}`);
    else if (engine === undefined) engine = arg.toLowerCase();
    else throw new UsageError(`unexpected argument: ${arg}`);
  }
  return { ...(engine ? { engine } : {}), finalNotify };
}

function setupHint(path: string): string {
  const shown = displayPath(path);
  return [
    `missing takopi config at ${shown}`,
    "create it with your bot token and chat id, for example:",
    `  takopi config set transports.telegram.bot_token "123456:ABC…"`,
    "  takopi config set transports.telegram.chat_id 123456789",
  ].join("\n");
}

export async function runBridge(args: readonly string[], globals: GlobalOptions): Promise<number> {
  const parsed = parseRunArgs(args);
  configureLogging({ debug: globals.debug });
  const configPath = resolveConfigPath(globals.configPath);
  if (!existsSync(configPath)) throw new ConfigError(setupHint(configPath));
  const loaded = loadConfig({ path: configPath });
  const { config } = loaded;
  if (config.transport !== "telegram") {
    throw new ConfigError(`transport '${config.transport}' is not supported; set transport = "telegram"`);
  }
  const telegram = requireTelegram(config, loaded.path);
  const router = buildRouter(config, {
    engineErrors: loaded.engineErrors,
    configPath: loaded.path,
    ...(parsed.engine ? { defaultEngine: parsed.engine } : {}),
  });
  const fallback = router.defaultEntry;
  if (fallback.status === "missing_cli") {
    // The hint line is the install command itself (behaviour §1), not the runner's longer sentence.
    const hint = (INSTALL_HINTS as Readonly<Record<string, string>>)[fallback.engine];
    throw new ConfigError(`install ${fallback.engine}${hint ? `\n   $ ${hint}` : ""}`);
  }

  const lock = acquireLock({ configPath: loaded.path, token: telegram.bot_token, exitOnSignal: false });
  const stop = new AbortController();
  let exitCode = 0;
  let signals = 0;
  const onSignal = (name: "SIGINT" | "SIGTERM") => () => {
    signals++;
    if (signals > 1) {
      lock.release();
      process.exit(130); // a second Ctrl-C means now
    }
    exitCode = name === "SIGINT" ? 130 : 0;
    process.stderr.write("\nstopping takopi: cancelling running agents…\n");
    stop.abort();
  };
  const onInt = onSignal("SIGINT");
  const onTerm = onSignal("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  try {
    await runTelegramBridge({
      config,
      telegram,
      router,
      cwd: process.cwd(),
      finalNotify: parsed.finalNotify,
      signal: stop.signal,
      onReady: ({ bot }) =>
        process.stderr.write(`takopi is running as @${bot.username}; press Ctrl-C to stop\n`),
    });
  } finally {
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
    lock.release();
  }
  return exitCode;
}

export const run: Command = {
  name: "run",
  summary: "run the Telegram bridge (the default command)",
  usage: USAGE,
  async run(args, globals) {
    try {
      return await runBridge(args, globals);
    } catch (error) {
      // A broken command line is exit 2; anything that stops the bridge from starting is exit 1.
      const code = printError(error);
      return error instanceof UsageError ? code : 1;
    }
  },
};
