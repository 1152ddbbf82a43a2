// Hot reload (`watch_config = true`, behaviour §2.10). Watches the config's
// directory, not the file: editors and our own atomic writes replace the file
// by rename, which a watch on the file itself would miss.
import { type FSWatcher, statSync, watch } from "node:fs";
import { basename, dirname } from "node:path";
import { getLogger } from "../logging/logger";
import { ConfigError } from "./errors";
import { type LoadedConfig, loadConfig } from "./load";
import type { TelegramConfig } from "./schema";

type Env = Readonly<Record<string, string | undefined>>;

export interface WatchOptions {
  readonly env?: Env;
  /** Quiet time after the last change before reloading (editors write in steps). Default 200 ms. */
  readonly debounceMs?: number;
  /** Called when a changed file fails to load; the previous config stays in use. */
  readonly onError?: (error: ConfigError) => void;
}

export interface ConfigWatcher {
  close(): void;
}

const log = getLogger("config");

/** (mtime in ns, size): a save that changes neither is not a change. */
function signature(path: string): string | undefined {
  try {
    const st = statSync(path, { bigint: true });
    return st.isFile() ? `${st.mtimeNs}:${st.size}` : undefined;
  } catch {
    return undefined;
  }
}

/** Calls `onReload` with the freshly loaded config each time the file changes and still validates. */
export function watchConfig(
  path: string,
  onReload: (loaded: LoadedConfig) => void,
  options: WatchOptions = {},
): ConfigWatcher {
  const name = basename(path);
  const debounceMs = options.debounceMs ?? 200;
  let last = signature(path);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let missingReported = false;

  const check = () => {
    timer = undefined;
    const current = signature(path);
    if (current === undefined) {
      if (!missingReported) log.warning("config.watch.missing", { path });
      missingReported = true;
      return;
    }
    missingReported = false;
    if (current === last) return;
    last = current;
    try {
      const loaded = loadConfig({ path, ...(options.env ? { env: options.env } : {}) });
      last = signature(path); // a migration may have rewritten the file just now
      log.info("config.reload.applied", { path });
      onReload(loaded);
    } catch (error) {
      const problem = error instanceof ConfigError ? error : new ConfigError(String(error));
      log.warning("config.reload.failed", { path, error: problem.message });
      options.onError?.(problem);
    }
  };

  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(path), (_event, filename) => {
      if (filename !== null && filename !== name) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(check, debounceMs);
    });
    watcher.on("error", (error) => log.warning("config.watch.error", { path, error: error.message }));
  } catch (error) {
    log.warning("config.watch.error", {
      path,
      error: error instanceof Error ? error.message : String(error),
    });
  }

  return {
    close() {
      if (timer) clearTimeout(timer);
      watcher?.close();
    },
  };
}

/** `[transports.telegram]` keys whose value differs (these need a restart to apply). */
export function transportChanges(
  before: TelegramConfig | undefined,
  after: TelegramConfig | undefined,
): string[] {
  if (!before || !after) return before === after ? [] : ["transports.telegram"];
  const a = new Map(Object.entries(before));
  const b = new Map(Object.entries(after));
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  return keys.filter((key) => JSON.stringify(a.get(key)) !== JSON.stringify(b.get(key)));
}
