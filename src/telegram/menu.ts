import type { BotCommand } from "grammy/types";

const COMMAND_ID = /^[a-z0-9_]{1,32}$/;
const MAX_COMMANDS = 100;

export interface MenuInput {
  readonly engines: readonly string[];
  readonly projects?: readonly string[];
}

/**
 * The bot's command menu (behaviour §3.18): engines, projects, then takopi's own
 * commands, with `cancel` always last. Only commands this build handles appear.
 */
export function commandMenu(input: MenuInput): BotCommand[] {
  const seen = new Set<string>();
  const out: BotCommand[] = [];
  const add = (command: string, description: string) => {
    const id = command.toLowerCase();
    if (!COMMAND_ID.test(id) || seen.has(id)) return;
    seen.add(id);
    out.push({ command: id, description });
  };
  for (const engine of input.engines) add(engine, `use engine: ${engine}`);
  for (const project of input.projects ?? []) add(project, `work on: ${project}`);
  add("cancel", "cancel run");
  if (out.length > MAX_COMMANDS) {
    const trimmed = out.filter((c) => c.command !== "cancel").slice(0, MAX_COMMANDS - 1);
    return [...trimmed, { command: "cancel", description: "cancel run" }];
  }
  return out;
}
