import { VERSION } from "../version";
import { type Command, type GlobalOptions, UsageError } from "./command";
import { COMMANDS } from "./commands";
import { printError } from "./output";

const HELP = `takopi ${VERSION}: drive coding agents (codex, claude, opencode, pi) from Telegram.

usage:
  takopi [--config PATH] [--debug] [--no-final-notify] [engine]   run the bridge
  takopi <command> [args]

commands:
${"{commands}"}

global options:
  --config PATH   config file (default ~/.takopi/takopi.toml, or $TAKOPI_CONFIG)
  --debug         verbose logs, also written to ./debug.log
  -V, --version   print the version
  -h, --help      show this help
`;

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n");
  return HELP.replace("{commands}", lines);
}

/** Pulls the global flags out of argv wherever they appear before `--`. */
export function parseGlobals(argv: readonly string[]): { globals: GlobalOptions; rest: string[] } {
  let configPath = process.env.TAKOPI_CONFIG || undefined;
  let debug = false;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg === "--config") {
      const value = argv[++i];
      if (!value) throw new UsageError("--config needs a path");
      configPath = value;
    } else if (arg.startsWith("--config=")) {
      configPath = arg.slice("--config=".length);
      if (!configPath) throw new UsageError("--config needs a path");
    } else if (arg === "--debug") {
      debug = true;
    } else {
      rest.push(arg);
    }
  }
  return { globals: { configPath, debug }, rest };
}

function find(name: string | undefined): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}

export async function runCli(argv: readonly string[]): Promise<number> {
  try {
    const { globals, rest } = parseGlobals(argv);
    const [first, ...args] = rest;
    if (first === "--version" || first === "-V") {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    if (first === "--help" || first === "-h" || first === "help") {
      const target = find(args[0]);
      process.stdout.write(target ? `${target.usage}\n` : helpText());
      return 0;
    }
    const command = find(first);
    if (command) {
      if (args.includes("--help") || args.includes("-h")) {
        process.stdout.write(`${command.usage}\n`);
        return 0;
      }
      return await command.run(args, globals);
    }
    // No subcommand: run the bridge (optionally `takopi <engine>`).
    const run = find("run");
    if (!run) throw new Error("run command missing");
    return await run.run(rest, globals);
  } catch (error) {
    return printError(error);
  }
}
