import { homedir } from "node:os";
import { dirname, join, resolve, sep } from "node:path";

type Env = Readonly<Record<string, string | undefined>>;

function home(env: Env): string {
  return env.HOME || homedir();
}

/** `~` and `~/x` → absolute; anything else unchanged. */
export function expandHome(path: string, env: Env = process.env): string {
  if (path === "~") return home(env);
  if (path.startsWith("~/")) return join(home(env), path.slice(2));
  return path;
}

/** The default config location, `~/.takopi/takopi.toml`. */
export function defaultConfigPath(env: Env = process.env): string {
  return join(home(env), ".takopi", "takopi.toml");
}

/**
 * The config file in use, absolute: `--config` value, else `$TAKOPI_CONFIG`,
 * else `~/.takopi/takopi.toml`. A relative value is relative to the cwd.
 */
export function resolveConfigPath(flag?: string, env: Env = process.env): string {
  const chosen = flag || env.TAKOPI_CONFIG || defaultConfigPath(env);
  return resolve(expandHome(chosen, env));
}

/** A state file (e.g. `telegram_chat_sessions_state.json`) beside the config in use. */
export function statePath(configPath: string, name: string): string {
  return join(dirname(configPath), name);
}

/** `/home/me/.takopi/takopi.toml` → `~/.takopi/takopi.toml`, for messages. */
export function displayPath(path: string, env: Env = process.env): string {
  const h = home(env).replace(/\/+$/, "");
  if (h && (path === h || path.startsWith(`${h}${sep}`))) return `~${path.slice(h.length)}`;
  return path;
}
