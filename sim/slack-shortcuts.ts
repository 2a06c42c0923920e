import type { SimMessage } from './slack-store.js';

/**
 * Shortcut payloads as Slack sends them (https://docs.slack.dev/reference/interaction-payloads/shortcuts-interaction-payload):
 * posted over HTTP as a signed form with one `payload` field, or sent as an `interactive` Socket Mode envelope,
 * like any interaction. A message shortcut names a message that exists; a global one carries no channel.
 */

export interface ShortcutActor {
  /** Default U0AGENT. */
  userId?: string;
  /** Default T0SIM. */
  teamId?: string;
}

let counter = 0;
function stamp(): { actionTs: string; triggerId: string } {
  counter += 1;
  const now = Date.now();
  return { actionTs: `${Math.floor(now / 1000)}.${String(counter).padStart(6, '0')}`, triggerId: `${now}.${counter}.shortcut.sim` };
}

function common(callbackId: string, actor: ShortcutActor) {
  const teamId = actor.teamId ?? 'T0SIM';
  const userId = actor.userId ?? 'U0AGENT';
  const { actionTs, triggerId } = stamp();
  return {
    token: 'legacy',
    action_ts: actionTs,
    team: { id: teamId, domain: 'sim' },
    user: { id: userId, username: 'agent', name: 'agent', team_id: teamId },
    api_app_id: 'A0KYC',
    is_enterprise_install: false,
    enterprise: null,
    callback_id: callbackId,
    trigger_id: triggerId,
  };
}

/** `message_action`: the message as Slack shows it to apps (a reply carries its thread_ts), its channel and a response_url. */
export function messageShortcutPayload(message: SimMessage, callbackId: string, responseUrl: string, actor: ShortcutActor = {}): Record<string, unknown> {
  const author = message.user === undefined ? { user: 'U0BOT', bot_id: 'B0BOT' } : { user: message.user };
  return {
    type: 'message_action',
    ...common(callbackId, actor),
    channel: { id: message.channel, name: message.channel === 'C0KYC' ? 'kyc' : message.channel.toLowerCase() },
    message_ts: message.ts,
    message: {
      type: 'message',
      ...author,
      text: message.text,
      ts: message.ts,
      ...(message.thread_ts === undefined ? {} : { thread_ts: message.thread_ts }),
      team: actor.teamId ?? 'T0SIM',
    },
    response_url: responseUrl,
  };
}

/** `shortcut` (global): who, and a trigger_id to open a modal with; no channel, no message, no response_url. */
export function globalShortcutPayload(callbackId: string, actor: ShortcutActor = {}): Record<string, unknown> {
  return { type: 'shortcut', ...common(callbackId, actor) };
}
