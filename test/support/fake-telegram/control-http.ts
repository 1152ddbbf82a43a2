import type { User } from "grammy/types";
import type { UserMessageInput } from "./inject";
import type { CreateChatOptions, FakeState } from "./state";
import type { Failure, Json } from "./types";

/**
 * `/__control/*`: the control API over HTTP, for a fake running in another process.
 *   POST   /__control/chats               CreateChatOptions            → chat
 *   POST   /__control/messages            {chat_id, ...UserMessageInput} → {update_id, message_id}
 *   POST   /__control/callbacks           {chat_id, message_id, data, from?, force?} → {id, update_id}
 *   GET    /__control/chats/<id>/messages                               → LoggedMessage[]
 *   GET    /__control/calls[?method=m]                                  → CallRecord[]
 *   GET    /__control/callbacks                                         → CallbackRecord[]
 *   GET    /__control/commands                                          → {scope: commands[]}
 *   POST   /__control/failures            {method, failure, times?}     → {ok: true}
 *   DELETE /__control/failures                                          → {ok: true}
 * Document/voice content is sent as a string.
 */
export async function handleControl(state: FakeState, req: Request, path: string): Promise<Response> {
  const body = req.method === "POST" ? ((await req.json().catch(() => ({}))) as Json) : {};
  try {
    if (req.method === "POST" && path === "chats") {
      const chat = state.createChat(body as CreateChatOptions);
      return Response.json(state.chatWire(chat));
    }
    if (req.method === "POST" && path === "messages") {
      return Response.json(state.sendUserMessage(Number(body.chat_id), body as UserMessageInput));
    }
    if (req.method === "POST" && path === "callbacks") {
      const opts = { ...(body.from ? { from: body.from as User } : {}), force: body.force === true };
      return Response.json(
        state.pressButton(Number(body.chat_id), Number(body.message_id), String(body.data), opts),
      );
    }
    const m = /^chats\/(-?\d+)\/messages$/.exec(path);
    if (req.method === "GET" && m) {
      return Response.json(
        state.log(Number(m[1])).map(({ document, ...rest }) => ({
          ...rest,
          document: document && { ...document, bytes: undefined },
        })),
      );
    }
    if (req.method === "GET" && path === "calls") {
      const method = new URL(req.url).searchParams.get("method");
      return Response.json(method ? state.calls.filter((c) => c.method === method) : state.calls);
    }
    if (req.method === "GET" && path === "callbacks") return Response.json([...state.callbacks.values()]);
    if (req.method === "GET" && path === "commands") return Response.json(Object.fromEntries(state.commands));
    if (req.method === "POST" && path === "failures") {
      const times = body.times === "always" ? Number.POSITIVE_INFINITY : Number(body.times ?? 1);
      state.fail(String(body.method ?? "*"), body.failure as Failure, times);
      return Response.json({ ok: true });
    }
    if (req.method === "DELETE" && path === "failures") {
      state.clearFailures();
      return Response.json({ ok: true });
    }
    return Response.json(
      { error: `unknown control route ${req.method} /__control/${path}` },
      { status: 404 },
    );
  } catch (e) {
    return Response.json({ error: e instanceof Error ? e.message : String(e) }, { status: 400 });
  }
}
