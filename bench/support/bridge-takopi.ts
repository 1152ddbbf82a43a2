// The takopi side of bench/bridge.ts, in its own process so its CPU time and peak RSS are
// takopi's alone (the fake Bot API runs in the parent). Runs `runTelegramBridge` with the
// scripted mock runner as codex; stops when stdin closes or says "stop".
// Usage: bun bench/support/bridge-takopi.ts '<ChildSpec JSON>'
import { parse } from "smol-toml";
import { validateConfig } from "../../src/config/load";
import { Router } from "../../src/core/router";
import { configureLogging } from "../../src/logging/configure";
import type { EventFactory, ResumeToken, TakopiEvent } from "../../src/model";
import { ScriptRunner, type ScriptStep, step } from "../../src/runners/mock/script-runner";
import type { Runner, RunRequest } from "../../src/runners/runner";
import { runTelegramBridge } from "../../src/telegram/bridge";
import { type ChildMessage, type ChildSpec, cpuMicros, epochMs, type RunScript } from "./bridge-spec";

function configToml(spec: ChildSpec): string {
  const lines = [
    'default_engine = "codex"',
    'transport = "telegram"',
    "[transports.telegram]",
    `bot_token = ${JSON.stringify(spec.token)}`,
    `chat_id = ${spec.chatId}`,
    `api_root = ${JSON.stringify(spec.apiRoot)}`,
    `allowed_user_ids = [${spec.allowedUserIds.join(", ")}]`,
    // No forward-coalescing window: it holds every prompt 1 s by design (behaviour §3.10),
    // which would hide the bridge's own latency.
    "forward_coalesce_s = 0.0",
  ];
  for (const g of spec.groups) {
    lines.push(
      `[projects.${g.alias}]`,
      `path = ${JSON.stringify(spec.projectPath)}`,
      `chat_id = ${g.chatId}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

function steps(script: RunScript, request: RunRequest, events: EventFactory): ScriptStep[] {
  if (script.kind === "latency") {
    return [
      step.emit(events.actionStarted("a0", "command", "rg -n bridge src")),
      step.emit(events.actionCompleted("a0", "command", "rg -n bridge src", true, { exit_code: 0 })),
      step.sleep(script.holdMs),
      step.return(`answer for ${request.prompt}`),
    ];
  }
  const out: ScriptStep[] = [];
  const actions = Math.floor(script.events / 2);
  for (let i = 0; i < actions; i++) {
    const title = `bun test test/case-${i}.test.ts`;
    out.push(step.emit(events.actionStarted(`a${i}`, "command", title)), step.sleep(script.gapMs));
    out.push(
      step.emit(events.actionCompleted(`a${i}`, "command", title, true, { exit_code: 0 })),
      step.sleep(script.gapMs),
    );
  }
  out.push(step.return(`done ${request.prompt}`));
  return out;
}

/** Notes when the engine's last line (`completed`) comes out, keyed by prompt. */
class TimedRunner implements Runner {
  readonly engine: string;
  readonly completedAt: Record<string, number> = {};

  constructor(readonly inner: Runner) {
    this.engine = inner.engine;
  }

  async *run(request: RunRequest, signal?: AbortSignal): AsyncIterable<TakopiEvent> {
    for await (const event of this.inner.run(request, signal)) {
      if (event.type === "completed") this.completedAt[request.prompt] = epochMs();
      yield event;
    }
  }

  formatResume(token: ResumeToken): string {
    return this.inner.formatResume(token);
  }
  extractResume(text: string): ResumeToken | undefined {
    return this.inner.extractResume(text);
  }
  isResumeLine(line: string): boolean {
    return this.inner.isResumeLine(line);
  }
}

function emit(message: ChildMessage): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

async function waitForStop(stop: AbortController): Promise<void> {
  const decoder = new TextDecoder();
  for await (const chunk of Bun.stdin.stream()) {
    if (decoder.decode(chunk).includes("stop")) break;
  }
  stop.abort();
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? "{}") as ChildSpec;
  configureLogging({});
  const { config } = validateConfig(parse(configToml(spec), { integersAsBigInt: true }), "<bench config>");
  const telegram = config.transports.telegram;
  if (!telegram) throw new Error("bench config has no [transports.telegram]");
  const runner = new TimedRunner(
    new ScriptRunner({ engine: "codex", script: (request, events) => steps(spec.script, request, events) }),
  );
  const stop = new AbortController();
  void waitForStop(stop);
  let cpuAtReady = 0;
  await runTelegramBridge({
    config,
    telegram,
    router: new Router([{ engine: "codex", runner, status: "ok" }], "codex"),
    cwd: spec.projectPath,
    finalNotify: true,
    signal: stop.signal,
    onReady: () => {
      cpuAtReady = cpuMicros();
      emit({ type: "ready", rssKb: Math.round(process.memoryUsage().rss / 1024), cpuUs: cpuAtReady });
    },
  });
  const total = cpuMicros();
  emit({
    type: "done",
    completedAt: runner.completedAt,
    cpuUs: total - cpuAtReady,
    cpuTotalUs: total,
    maxRssKb: process.resourceUsage().maxRSS,
    runs: Object.keys(runner.completedAt).length,
  });
  process.exit(0);
}

await main();
