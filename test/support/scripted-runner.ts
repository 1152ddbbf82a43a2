import type { EventFactory } from "../../src/model";
import { type Script, ScriptRunner, type ScriptStep } from "../../src/runners/mock/script-runner";
import type { RunRequest } from "../../src/runners/runner";

/** A scripted runner whose script emits its own `started` (bridge tests want to control it). */
export function scripted(engine: string, script: Script): ScriptRunner {
  return new ScriptRunner({ engine, script, autoStart: false });
}

/** started → one command action → completed(answer). */
export function simpleRun(id: string, answer: string, delayMs = 0) {
  return (_r: RunRequest, f: EventFactory): ScriptStep[] => [
    { emit: f.started({ engine: f.engine, value: id })! },
    { emit: f.actionStarted("a1", "command", "ls") },
    { sleep: delayMs },
    { emit: f.actionCompleted("a1", "command", "ls", true) },
    { emit: f.completedOk(answer) },
  ];
}
