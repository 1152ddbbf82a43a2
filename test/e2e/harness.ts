// End-to-end harness: the real `takopi` process (source or compiled binary)
// against the fake Bot API on 127.0.0.1, with engine CLIs that replay
// captured JSONL. Each engine's behaviour is picked per invocation from a
// "mode" file, so one long-lived takopi can be driven through many scenarios.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";
import {
  FAKE_TOKEN,
  type FakeTelegram,
  type LoggedMessage,
  startFakeTelegram,
} from "../support/fake-telegram";
import type { ReplayConfig } from "../support/replay-engine";

const ROOT = resolve(import.meta.dir, "../..");
export const FIXTURES = resolve(ROOT, "../shared/fixtures/engines");
const REPLAY = resolve(ROOT, "test/support/replay-engine.ts");
export const CHAT_ID = 1001; // the fake's default private chat with user 1001

export type Engine = "codex" | "claude" | "opencode" | "pi";

/** How each engine's argv says "resume": the wrapper picks the `-resume` config then. */
const RESUME_TEST: Record<Engine, string> = {
  codex: 'case " $* " in *" resume "*) kind=resume;; esac',
  claude: 'case " $* " in *" --resume "*) kind=resume;; esac',
  opencode: 'case " $* " in *" --session "*) kind=resume;; esac',
  pi: 'case " $* " in *.jsonl*) kind=new;; *) kind=resume;; esac',
};

export const NEW_FIXTURE: Record<Engine, string> = {
  codex: "codex/new_thread_command.jsonl",
  claude: "claude/new_session_bash.jsonl",
  opencode: "opencode/new_session_bash.jsonl",
  pi: "pi/new_session_bash.jsonl",
};

export interface HarnessOptions {
  readonly overflow?: "trim" | "split";
  readonly finalNotify?: boolean;
  /** Extra TOML appended to the config. */
  readonly extraToml?: string;
  readonly allowedUserIds?: readonly number[];
  /** Leave the process unstarted (e.g. to queue a backlog first). */
  readonly deferStart?: boolean;
  readonly fake?: FakeTelegram;
  /** Extra environment for the takopi process (e.g. `TAKOPI_LOG_FILE`). */
  readonly env?: Readonly<Record<string, string>>;
}

/** A final answer's first line: done, error or cancelled (the status word leads the header). */
export const FINAL_STATUS = /^(done|error|cancelled|`?cancelled)/;

export class Harness {
  readonly fake: FakeTelegram;
  readonly dir: string;
  readonly home: string;
  readonly repo: string;
  readonly bin: string;
  readonly configPath: string;
  proc: Subprocess<"ignore", "pipe", "pipe"> | undefined;
  output = "";
  #outputDone: Promise<void> = Promise.resolve();

  constructor(readonly opts: HarnessOptions = {}) {
    this.fake = opts.fake ?? startFakeTelegram();
    if (!this.fake.chats.has(CHAT_ID)) this.fake.createChat();
    this.dir = mkdtempSync(join(tmpdir(), "takopi-e2e-"));
    this.home = join(this.dir, "home");
    this.repo = join(this.dir, "repo");
    this.bin = join(this.dir, "bin");
    for (const d of [this.home, this.repo, this.bin]) mkdirSync(d, { recursive: true });
    this.configPath = join(this.home, ".takopi", "takopi.toml");
    mkdirSync(join(this.home, ".takopi"), { recursive: true });
    const telegram = [
      "[transports.telegram]",
      `bot_token = "${FAKE_TOKEN}"`,
      `chat_id = ${CHAT_ID}`,
      `api_root = "${this.fake.apiRoot}"`,
      `message_overflow = "${opts.overflow ?? "trim"}"`,
      "forward_coalesce_s = 0.2",
      opts.allowedUserIds ? `allowed_user_ids = [${opts.allowedUserIds.join(", ")}]` : "",
    ];
    writeFileSync(
      this.configPath,
      ['default_engine = "codex"', 'transport = "telegram"', "", ...telegram, "", opts.extraToml ?? ""].join(
        "\n",
      ),
    );
    for (const engine of Object.keys(RESUME_TEST) as Engine[]) {
      this.#writeEngine(engine);
      this.mode(engine, "normal", {
        new: { fixture: NEW_FIXTURE[engine] },
        resume: { fixture: `${engine}/resume.jsonl` },
      });
    }
  }

  #writeEngine(engine: Engine): void {
    const script = [
      "#!/bin/sh",
      `dir='${this.bin}'`,
      `mode=$(cat "$dir/${engine}.mode" 2>/dev/null || echo normal)`,
      "kind=new",
      RESUME_TEST[engine],
      `cfg="$dir/${engine}-$mode-$kind.json"`,
      `[ -f "$cfg" ] || cfg="$dir/${engine}-$mode.json"`,
      `exec '${process.execPath}' '${REPLAY}' --replay-config "$cfg" -- "$@"`,
      "",
    ].join("\n");
    writeFileSync(join(this.bin, engine), script);
    chmodSync(join(this.bin, engine), 0o755);
  }

  /** Defines mode `name` for an engine (fixtures relative to shared/fixtures/engines) and selects it. */
  mode(
    engine: Engine,
    name: string,
    configs?: { new?: ReplayConfig; resume?: ReplayConfig; any?: ReplayConfig },
  ): void {
    const abs = (c: ReplayConfig): ReplayConfig => ({
      delayMs: 5,
      ...c,
      ...(c.fixture ? { fixture: resolve(FIXTURES, c.fixture) } : {}),
      pidsFile: join(this.bin, `${engine}.pids`),
    });
    if (configs?.new)
      writeFileSync(join(this.bin, `${engine}-${name}-new.json`), JSON.stringify(abs(configs.new)));
    if (configs?.resume)
      writeFileSync(join(this.bin, `${engine}-${name}-resume.json`), JSON.stringify(abs(configs.resume)));
    if (configs?.any)
      writeFileSync(join(this.bin, `${engine}-${name}.json`), JSON.stringify(abs(configs.any)));
    writeFileSync(join(this.bin, `${engine}.mode`), name);
  }

  pidsFile(engine: Engine): string {
    return join(this.bin, `${engine}.pids`);
  }

  /** Pids the engine's replays (and their grandchildren) wrote since the last `resetPids`. */
  pids(engine: Engine): number[] {
    const file = this.pidsFile(engine);
    if (!existsSync(file)) return [];
    return readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l !== "")
      .map(Number);
  }

  resetPids(engine: Engine): void {
    rmSync(this.pidsFile(engine), { force: true });
  }

  /** Polls until at least `count` pids were recorded (engine runs report themselves at start). */
  async waitPids(engine: Engine, count: number, timeout = 10_000): Promise<number[]> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const pids = this.pids(engine);
      if (pids.length >= count) return pids;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${count} ${engine} pids (have ${pids.length})`);
      await Bun.sleep(10);
    }
  }

  /**
   * Writes a fixture derived from `source` (relative to shared/fixtures/engines) through
   * `transform` of its parsed JSON lines; returns the absolute path, usable as a mode fixture.
   */
  deriveFixture(
    name: string,
    source: string,
    transform: (lines: Record<string, unknown>[]) => Record<string, unknown>[],
  ): string {
    const lines = readFileSync(resolve(FIXTURES, source), "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const path = join(this.dir, `${name}.jsonl`);
    writeFileSync(
      path,
      `${transform(lines)
        .map((l) => JSON.stringify(l))
        .join("\n")}\n`,
    );
    return path;
  }

  /** `<config>.lock`, held while takopi runs. */
  get lockPath(): string {
    return join(this.home, ".takopi", "takopi.lock");
  }

  command(): string[] {
    const binary = process.env.TAKOPI_E2E_BINARY;
    const args = [
      "--config",
      this.configPath,
      ...(this.opts.finalNotify === false ? ["--no-final-notify"] : []),
    ];
    return binary ? [binary, ...args] : [process.execPath, join(ROOT, "src/main.ts"), ...args];
  }

  /** The environment takopi runs in: our HOME, engines first on PATH, debug logging. */
  env(): Record<string, string | undefined> {
    return {
      ...process.env,
      HOME: this.home,
      PATH: `${this.bin}:${process.env.PATH ?? ""}`,
      TAKOPI_LOG_LEVEL: "debug",
      TAKOPI_NO_INTERACTIVE: "1",
      TAKOPI_CONFIG: "",
      ...this.opts.env,
    };
  }

  async start(): Promise<void> {
    this.proc = Bun.spawn(this.command(), {
      cwd: this.repo,
      env: this.env(),
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    this.#outputDone = Promise.all([this.#collect(this.proc.stdout), this.#collect(this.proc.stderr)]).then(
      () => {},
    );
    await this.fake.waitForMessage(CHAT_ID, (m) => m.text.includes("takopi is ready"), 15_000);
  }

  async #collect(stream: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    for await (const chunk of stream) this.output += decoder.decode(chunk, { stream: true });
  }

  /** A user message in the private chat; returns its message id. */
  say(text: string, replyTo?: number): number {
    return this.fake.sendUserMessage(CHAT_ID, { text, ...(replyTo ? { reply_to: replyTo } : {}) }).message_id;
  }

  /** The bot's messages replying to `userMessageId`. */
  repliesTo(userMessageId: number): LoggedMessage[] {
    return this.fake.botMessages(CHAT_ID).filter((m) => m.reply_to_message_id === userMessageId);
  }

  /** Live final answers to a prompt (a correct bridge leaves exactly one). */
  finals(userMessageId: number): LoggedMessage[] {
    return this.repliesTo(userMessageId).filter((m) => !m.deleted && FINAL_STATUS.test(m.text));
  }

  /** The silent progress message of a prompt (its first version starts with `starting` or `queued`). */
  waitProgress(userMessageId: number, timeout = 10_000): Promise<LoggedMessage> {
    return this.waitReply(
      userMessageId,
      (m) => m.disable_notification && /^(starting|queued)/.test(m.history[0]?.text ?? ""),
      timeout,
    );
  }

  /** Waits for the final answer (a live reply whose text starts with done/error/cancelled). */
  waitFinal(userMessageId: number, timeout = 15_000, status = FINAL_STATUS): Promise<LoggedMessage> {
    return this.fake.waitFor(
      () => this.repliesTo(userMessageId).find((m) => !m.deleted && status.test(m.text)),
      { timeout, label: `final answer to message ${userMessageId}` },
    );
  }

  waitReply(
    userMessageId: number,
    pred: (m: LoggedMessage) => boolean,
    timeout = 10_000,
  ): Promise<LoggedMessage> {
    return this.fake.waitFor(() => this.repliesTo(userMessageId).find(pred), {
      timeout,
      label: `reply to message ${userMessageId}`,
    });
  }

  async stop(signal: "SIGTERM" | "SIGINT" = "SIGTERM"): Promise<number | null> {
    const proc = this.proc;
    if (!proc) return null;
    if (proc.exitCode === null) proc.kill(signal);
    const code = await Promise.race([proc.exited, Bun.sleep(15_000).then(() => -1)]);
    if (code === -1) proc.kill("SIGKILL");
    await this.#outputDone;
    return code;
  }

  async dispose(): Promise<void> {
    await this.stop();
    if (!this.opts.fake) await this.fake.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
