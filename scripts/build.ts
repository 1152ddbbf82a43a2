// Placeholder until the build issue lands; replaced by the real cross-compiling build.
import { $ } from "bun";

await $`bun build --compile --minify --bytecode --format=esm --no-compile-autoload-dotenv --no-compile-autoload-bunfig src/main.ts --outfile dist/takopi`;
