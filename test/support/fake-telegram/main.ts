// Runs the fake Bot API on its own, for driving takopi by hand or from another process:
//   bun test/support/fake-telegram/main.ts [--token T] [--port N]
// Prints one JSON line {"api_root", "token", "control"}; drive it through /__control/ routes.
import { FAKE_TOKEN, FakeTelegram } from "./index";

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const token = flag("--token") ?? FAKE_TOKEN;
const port = Number(flag("--port") ?? 0);
const tg = new FakeTelegram({ token, port });
process.stdout.write(
  `${JSON.stringify({ api_root: tg.apiRoot, token, control: `${tg.apiRoot}/__control/` })}\n`,
);
const stop = () => void tg.stop().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
