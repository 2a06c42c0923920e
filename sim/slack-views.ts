import { refusedAnswer, viewRefusal, type Refusal } from './slack-block-kit.js';
import { stringParam } from './slack-params.js';
import { SIM_BOT } from './slack-methods.js';

type Params = Record<string, unknown>;
type Answer = Record<string, unknown>;

/** A modal opened with views.open, or a Home tab published with views.publish. */
export interface SimView {
  id: string;
  kind: 'modal' | 'home';
  /** The user a Home tab belongs to; undefined for a modal. */
  userId?: string;
  triggerId?: string;
  view: Record<string, unknown>;
  at: number;
}

const failed = (error: string): Answer => ({ ok: false, error });

function viewParam(p: Params): Record<string, unknown> | undefined {
  const view = p['view'];
  return typeof view === 'object' && view !== null && !Array.isArray(view) ? Object.fromEntries(Object.entries(view)) : undefined;
}

/**
 * views.open, views.update, views.publish and conversations.open, as Slack answers them. A trigger_id
 * works once (Slack also expires it after 3 s; the simulator does not, tests assert the ack instead).
 * conversations.open takes one user id (several would open a group DM, which the bot never does) and answers
 * `user_not_found` for anything else, `cannot_dm_bot` for the bot itself; its scope (im:write) is checked with
 * every other method's in sim/slack.ts.
 */
export function createViewMethods(deps: { onRefusal: (method: string, refusal: Refusal) => void; openDm: (userId: string) => string }) {
  const views: SimView[] = [];

  /** A view that breaks a Block Kit limit: Slack's answer, with the problems as `response_metadata.messages`. */
  function limitsProblem(method: string, view: Record<string, unknown>): Answer | undefined {
    const refusal = viewRefusal(view);
    if (refusal === undefined) return undefined;
    deps.onRefusal(method, refusal);
    return refusedAnswer(refusal);
  }
  const usedTriggers = new Set<string>();
  let counter = 0;
  const nextId = () => `V0SIM${String((counter += 1)).padStart(4, '0')}`;

  const methods: Record<string, (p: Params) => Answer> = {
    'views.open': (p) => {
      const triggerId = stringParam(p, 'trigger_id');
      const view = viewParam(p);
      if (!triggerId) return failed('invalid_arguments');
      if (usedTriggers.has(triggerId)) return failed('exchanged_trigger_id');
      if (!view || view['type'] !== 'modal') return failed('invalid_arguments');
      const refused = limitsProblem('views.open', view);
      if (refused) return refused;
      usedTriggers.add(triggerId);
      const stored: SimView = { id: nextId(), kind: 'modal', triggerId, view, at: Date.now() };
      views.push(stored);
      return { ok: true, view: { id: stored.id, ...view } };
    },
    'views.update': (p) => {
      const id = stringParam(p, 'view_id');
      const view = viewParam(p);
      const stored = views.find((v) => v.id === id);
      if (!stored) return failed('not_found');
      if (!view) return failed('invalid_arguments');
      const refused = limitsProblem('views.update', view);
      if (refused) return refused;
      stored.view = view;
      return { ok: true, view: { id: stored.id, ...view } };
    },
    'views.publish': (p) => {
      const userId = stringParam(p, 'user_id');
      const view = viewParam(p);
      if (!userId) return failed('invalid_arguments');
      if (!view || view['type'] !== 'home') return failed('invalid_arguments');
      const refused = limitsProblem('views.publish', view);
      if (refused) return refused;
      const stored: SimView = { id: nextId(), kind: 'home', userId, view, at: Date.now() };
      views.push(stored);
      return { ok: true, view: { id: stored.id, ...view } };
    },
    'conversations.open': (p) => {
      const users = (stringParam(p, 'users') ?? '').split(',').filter((u) => u !== '');
      const [user] = users;
      if (user === undefined) return failed('users_list_not_supplied');
      if (users.length !== 1) return failed('not_implemented');
      if (!/^[UW][A-Z0-9]{2,}$/.test(user)) return failed('user_not_found');
      if (user === SIM_BOT.user_id) return failed('cannot_dm_bot');
      return { ok: true, channel: { id: deps.openDm(user) } };
    },
  };
  return {
    methods,
    views,
    /** The latest Home tab published for a user. */
    home: (userId: string) => views.filter((v) => v.kind === 'home' && v.userId === userId).at(-1),
    modals: () => views.filter((v) => v.kind === 'modal'),
  };
}
