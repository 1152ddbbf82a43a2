import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CHILD = join(import.meta.dir, "fixtures", "log-child.ts");

function childEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith("TAKOPI_")) env[k] = v;
  return { ...env, ...extra };
}

describe("real process stderr", () => {
  test("console records go to stderr (not stdout), redacted; the file sink too", async () => {
    const dir = mkdtempSync(join(tmpdir(), "takopi-log-"));
    try {
      const proc = Bun.spawn([process.execPath, CHILD, "--debug"], {
        cwd: dir,
        env: childEnv({ TAKOPI_LOG_COLOR: "0" }),
        stdout: "pipe",
        stderr: "pipe",
      });
      const [out, err, code] = await Promise.all([
        new Response(proc.stdout).text(),
        new Response(proc.stderr).text(),
        proc.exited,
      ]);
      expect(code).toBe(0);
      expect(out).toBe("");
      expect(err).toContain("telegram.request bot[REDACTED]");
      expect(err).toContain("child.debug_only");
      expect(err).not.toContain("AAHsecret");
      const file = readFileSync(join(dir, "debug.log"), "utf8");
      expect(file).toContain("https://api.telegram.org/bot[REDACTED]/getMe");
      expect(file).toContain('"deep":["token [REDACTED_TOKEN]"]');
      expect(file).not.toContain("AAHsecret");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a closed stderr pipe does not kill the process", async () => {
    const dir = mkdtempSync(join(tmpdir(), "takopi-log-"));
    try {
      const marker = join(dir, "marker");
      const proc = Bun.spawn([process.execPath, CHILD], {
        env: childEnv({ FLOOD: "20000", MARKER: marker }),
        stdout: "ignore",
        stderr: "pipe",
      });
      // Read one chunk, then hang up, like `takopi 2>&1 | head -1`.
      const reader = proc.stderr.getReader();
      await reader.read();
      await reader.cancel();
      expect(await proc.exited).toBe(0);
      expect(existsSync(marker)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
