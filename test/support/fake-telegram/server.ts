import type { Server } from "bun";
import { handleControl } from "./control-http";
import { methods } from "./methods";
import { type Params, readParams } from "./params";
import { apiError, CONFLICT, failureResponse, ok } from "./responses";
import type { FakeState } from "./state";
import { ApiError, type CallRecord, type Json, type LoggedMessage } from "./types";

/** Telegram caps long polling at 50 s. Fractional seconds are accepted here to keep tests fast. */
const MAX_POLL_SECONDS = 50;

async function getUpdates(state: FakeState, p: Params, req: Request): Promise<Json[]> {
  const offset = p.int("offset");
  const limit = Math.min(Math.max(p.int("limit") ?? 100, 1), 100);
  const timeout = Math.min(Math.max(p.int("timeout") ?? 0, 0), MAX_POLL_SECONDS);
  const allowed = p.json("allowed_updates");
  if (Array.isArray(allowed)) state.allowedUpdates = allowed.map(String);
  const batch = state.takeUpdates(offset, limit);
  if (batch.length > 0 || timeout === 0) return batch;
  const r = await state.waitUpdates(timeout * 1000, req.signal);
  if (r === "conflict") throw new ApiError(409, CONFLICT);
  return state.takeUpdates(undefined, limit);
}

function finish(rec: CallRecord, res: Response, code?: number, description?: string): Response {
  if (code !== undefined) {
    rec.outcome = "error";
    rec.error_code = code;
    if (description !== undefined) rec.description = description;
  }
  return res;
}

async function handleBot(
  state: FakeState,
  req: Request,
  server: Server<undefined>,
  token: string,
  method: string,
) {
  let params: Params;
  try {
    params = await readParams(req, new URL(req.url));
  } catch (e) {
    if (e instanceof ApiError) return apiError(e);
    throw e;
  }
  const rec = state.logCall(method, params.raw);
  if (token !== state.token)
    return finish(rec, apiError(new ApiError(401, "Unauthorized")), 401, "Unauthorized");
  const failure = state.takeFailure(method);
  if (failure) {
    const f = failureResponse(failure);
    if (failure.kind === "drop") rec.outcome = "dropped";
    state.changed();
    return finish(rec, f.response, f.code, f.description);
  }
  try {
    if (method === "getUpdates") {
      server.timeout(req, 0);
      return ok(await getUpdates(state, params, req));
    }
    const handler = methods[method];
    if (!handler) throw new ApiError(404, "Not Found");
    return ok(await handler(state, params));
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    state.changed();
    return finish(rec, apiError(e), e.code, e.description);
  }
}

function download(state: FakeState, token: string, path: string): Response {
  if (token !== state.token) return apiError(new ApiError(401, "Unauthorized"));
  const file = state.fileByPath(path);
  if (!file) return apiError(new ApiError(404, "Not Found"));
  return new Response(file.bytes, {
    headers: { "content-type": file.mime_type ?? "application/octet-stream" },
  });
}

export function serve(state: FakeState, port: number): Server<undefined> {
  return Bun.serve({
    hostname: "127.0.0.1",
    port,
    idleTimeout: 60,
    async fetch(req, server) {
      const url = new URL(req.url);
      const path = url.pathname;
      if (path.startsWith("/__control/")) return handleControl(state, req, path.slice("/__control/".length));
      const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(path);
      if (file) return download(state, decodeURIComponent(file[1]!), decodeURIComponent(file[2]!));
      const bot = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(path);
      if (bot) return handleBot(state, req, server, decodeURIComponent(bot[1]!), bot[2]!);
      return apiError(new ApiError(404, "Not Found"));
    },
    error(e) {
      return Response.json(
        { ok: false, error_code: 500, description: `fake telegram bug: ${e.message}` },
        { status: 500 },
      );
    },
  });
}

export type { LoggedMessage };
