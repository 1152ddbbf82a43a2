import { loadConfig, requireTelegram } from "../../config/load";
import { displayPath } from "../../config/paths";
import type { Command } from "../command";
import { printError } from "../output";

// Placeholder until the bridge lands: it already loads and validates the config,
// so a broken takopi.toml is reported the same way the bridge will report it.
export const run: Command = {
  name: "run",
  summary: "run the Telegram bridge (the default command)",
  usage: "usage: takopi [run] [engine] [--no-final-notify]",
  async run(_args, globals) {
    try {
      const { config, path } = loadConfig({ path: globals.configPath });
      if (config.transport === "telegram") requireTelegram(config, path);
      process.stderr.write(`config ok: ${displayPath(path)}\n`);
    } catch (error) {
      printError(error);
      return 1;
    }
    process.stderr.write("error: the Telegram bridge is not implemented yet\n");
    return 1;
  },
};
