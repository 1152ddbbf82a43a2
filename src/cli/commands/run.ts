import type { Command } from "../command";

export const run: Command = {
  name: "run",
  summary: "run the Telegram bridge (the default command)",
  usage: "usage: takopi [run] [engine] [--no-final-notify]",
  async run() {
    process.stderr.write("error: the Telegram bridge is not implemented yet\n");
    return 1;
  },
};
