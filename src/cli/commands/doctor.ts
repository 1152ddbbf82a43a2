// `takopi doctor`: checks the config, the bot token, the chat and the engine
// CLIs without starting the bridge (and without taking its lock).
import { existsSync } from "node:fs";
import { HttpError } from "grammy";
import { ConfigError } from "../../config/errors";
import { engineCommand, loadConfig } from "../../config/load";
import { displayPath, resolveConfigPath } from "../../config/paths";
import type { TakopiConfig, TelegramConfig } from "../../config/schema";
import { buildRouter, INSTALL_HINTS } from "../../core/engines";
import type { Router } from "../../core/router";
import { redact } from "../../logging/redact";
import { ENGINE_IDS } from "../../model";
import { classifyError, createTelegramApi } from "../../telegram/client";
import { type Command, UsageError } from "../command";
import {
  type BotInfo,
  chatCheck,
  configCheck,
  type DoctorCheck,
  engineCheck,
  type FailureContext,
  failureReason,
  fileTransferCheck,
  hasErrors,
  type Probe,
  renderReport,
  tokenCheck,
  topicsCheck,
  voiceCheck,
} from "../doctor-checks";
import { printError } from "../output";

type Env = Readonly<Record<string, string | undefined>>;

const USAGE = `usage: takopi doctor

Checks the config, the bot token (getMe), the chat (getChat) and the engine
CLIs on PATH, one line each. Exits 1 if any check is an error.`;

/** Doctor answers in seconds: an unreachable Bot API must not make it hang. */
export const DOCTOR_TIMEOUT_SECONDS = 5;

export interface DoctorOptions {
  /** `--config` value; undefined = `$TAKOPI_CONFIG`, else `~/.takopi/takopi.toml`. */
  readonly configPath?: string;
  readonly env?: Env;
  /** Per Bot API request. Default DOCTOR_TIMEOUT_SECONDS. */
  readonly timeoutSeconds?: number;
}

interface Loaded {
  readonly config: TakopiConfig;
  readonly path: string;
  readonly router: Router;
  readonly telegram?: TelegramConfig;
}

/** Everything the config check covers: the file, its schema, the transport and the default engine. */
function loadForDoctor(opts: DoctorOptions, env: Env): Probe<Loaded> {
  const path = resolveConfigPath(opts.configPath, env);
  if (!existsSync(path)) return { ok: false, reason: `missing takopi config at ${displayPath(path, env)}` };
  try {
    const loaded = loadConfig({ path, env });
    const { config } = loaded;
    if (config.transport !== "telegram") {
      return {
        ok: false,
        reason: `transport '${config.transport}' is not supported; takopi doctor checks the telegram transport only`,
      };
    }
    const router = buildRouter(config, { env, engineErrors: loaded.engineErrors, configPath: loaded.path });
    const telegram = config.transports.telegram;
    return { ok: true, value: { config, path: loaded.path, router, ...(telegram ? { telegram } : {}) } };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, reason: error.message };
    throw error;
  }
}

async function probe<T>(call: () => Promise<T>, ctx: Omit<FailureContext, "cause">): Promise<Probe<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    const inner = error instanceof HttpError ? error.error : undefined;
    const cause = inner instanceof Error ? inner.message : undefined;
    const reason = failureReason(classifyError(error), { ...ctx, ...(cause ? { cause } : {}) });
    return { ok: false, reason: redact(reason) };
  }
}

async function telegramChecks(telegram: TelegramConfig, timeoutSeconds: number): Promise<DoctorCheck[]> {
  const api = createTelegramApi(telegram.bot_token, { apiRoot: telegram.api_root, timeoutSeconds });
  const ctx = { apiRoot: telegram.api_root, timeoutSeconds };
  const me = await probe<BotInfo>(() => api.getMe(), ctx);
  const chat = me.ok ? await probe(() => api.getChat(telegram.chat_id), ctx) : "skipped";
  return [tokenCheck(me), chatCheck(telegram.chat_id, chat)];
}

function engineChecks(loaded: Loaded, env: Env): DoctorCheck[] {
  const { config, router } = loaded;
  return ENGINE_IDS.map((engine) => {
    const entry = router.entry(engine);
    if (!entry) return { label: engine, status: "error", detail: "not registered" };
    const configured = config[engine].command ? engineCommand(config, engine) : undefined;
    const resolved = Bun.which(configured ?? engine, { PATH: env.PATH ?? "" }) ?? undefined;
    return engineCheck(entry, {
      isDefault: engine === router.defaultEngine,
      installHint: INSTALL_HINTS[engine],
      ...(configured ? { configured } : {}),
      ...(resolved ? { resolved } : {}),
    });
  });
}

/** Runs every check; a check that cannot run because an earlier one failed is left out or marked skipped. */
export async function runDoctor(opts: DoctorOptions = {}): Promise<DoctorCheck[]> {
  const env = opts.env ?? process.env;
  const timeoutSeconds = opts.timeoutSeconds ?? DOCTOR_TIMEOUT_SECONDS;
  const loaded = loadForDoctor(opts, env);
  if (!loaded.ok) return [configCheck(loaded)];
  const { telegram, path } = loaded.value;
  if (!telegram) {
    return [
      configCheck({ ok: false, reason: `Missing [transports.telegram] in ${displayPath(path, env)}.` }),
      ...engineChecks(loaded.value, env),
    ];
  }
  return [
    configCheck({ ok: true, value: displayPath(path, env) }),
    ...(await telegramChecks(telegram, timeoutSeconds)),
    ...engineChecks(loaded.value, env),
    topicsCheck(telegram),
    fileTransferCheck(telegram),
    voiceCheck(telegram),
  ];
}

export const doctor: Command = {
  name: "doctor",
  summary: "check the config, bot token, chat and engine CLIs",
  usage: USAGE,
  async run(args, globals) {
    if (args.length > 0) return printError(new UsageError(`unexpected argument: ${args[0]}`));
    let checks: DoctorCheck[];
    try {
      checks = await runDoctor(globals.configPath ? { configPath: globals.configPath } : {});
    } catch (error) {
      // Never a stack trace: an unexpected failure is one more error line.
      const message = error instanceof Error ? error.message : String(error);
      checks = [{ label: "doctor", status: "error", detail: message }];
    }
    process.stdout.write(`${redact(renderReport(checks))}\n`);
    return hasErrors(checks) ? 1 : 0;
  },
};
