import pkg from "../package.json" with { type: "json" };

// scripts/build.ts defines TAKOPI_VERSION for release binaries; `bun src/main.ts` falls back to package.json.
declare const TAKOPI_VERSION: string | undefined;

export const VERSION: string = typeof TAKOPI_VERSION === "string" ? TAKOPI_VERSION : pkg.version;
