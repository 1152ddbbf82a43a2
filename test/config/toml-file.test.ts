import { describe, expect, test } from "bun:test";
import { mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../../src/config/errors";
import { readRawConfig, readRawConfigOrEmpty, writeRawConfig } from "../../src/config/toml-file";
import { read, tempConfig, tempDir } from "./support";

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("reading", () => {
  test("a missing file names the file", () => {
    const path = join(tempDir(), "takopi.toml");
    expect(errorOf(() => readRawConfig(path)).message).toBe(`Missing config file ${path}.`);
    expect(readRawConfigOrEmpty(path)).toEqual({});
  });
  test("a directory in place of the file is an error", () => {
    const path = join(tempDir(), "takopi.toml");
    mkdirSync(path);
    expect(errorOf(() => readRawConfig(path)).message).toBe(`Config path ${path} exists but is not a file.`);
  });
  test("malformed TOML names the file and the position, without a code frame", () => {
    const path = tempConfig('a = "x"\nb = \n');
    const error = errorOf(() => readRawConfig(path));
    expect(error.message).toBe(`Malformed TOML in ${path}: invalid value (line 2, column 5)`);
    expect(error.exitCode).toBe(2);
  });
  test("integers read as bigint, floats as number", () => {
    const raw = readRawConfig(tempConfig("i = 3\nf = 3.0\n"));
    expect(raw.i).toBe(3n);
    expect(raw.f).toBe(3);
  });
});

describe("writing", () => {
  test("round-trips unknown tables, dates, floats and ints", () => {
    const text =
      'top = "x"\n\n[other]\nwhen = 1979-05-27T07:32:00Z\nf = 1.0\ni = 7\nlist = [ 1, 2 ]\n\n[other.deep]\nk = "v"\n';
    const path = tempConfig(text);
    writeRawConfig(path, readRawConfig(path));
    const again = read(path);
    expect(again).toContain("f = 1.0");
    expect(again).toContain("i = 7");
    expect(again).toContain("when = 1979-05-27T07:32:00.000Z");
    expect(again).toContain("[other.deep]");
    expect(readRawConfig(path)).toEqual(readRawConfig(tempConfig(text)));
  });
  test("creates parent directories and writes mode 0600, leaving no temp file", () => {
    const dir = tempDir();
    const path = join(dir, "a", "b", "takopi.toml");
    writeRawConfig(path, { x: "y" });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, "a", "b"))).toEqual(["takopi.toml"]);
  });
  test("narrows an existing world-readable file to 0600", () => {
    const path = tempConfig("x = 1\n");
    writeFileSync(path, "x = 1\n", { mode: 0o644 });
    writeRawConfig(path, { x: 2n });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(read(path)).toBe("x = 2\n");
  });
  test("writes through a symlink to its target", () => {
    const dir = tempDir();
    const target = join(dir, "real.toml");
    writeFileSync(target, "x = 1\n");
    const link = join(dir, "takopi.toml");
    symlinkSync(target, link);
    writeRawConfig(link, { x: 5n });
    expect(read(target)).toBe("x = 5\n");
    expect(statSync(link).isFile()).toBe(true);
  });
});
