import type { Command } from "../command";
import { config } from "./config";
import { doctor } from "./doctor";
import { exec } from "./exec";
import { init } from "./init";
import { run } from "./run";

/** Every `takopi <name>` subcommand, in help order. `run` is the default when no name is given. */
export const COMMANDS: readonly Command[] = [run, init, config, doctor, exec];
