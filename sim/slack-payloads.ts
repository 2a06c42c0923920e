import type { SimMessage } from './slack-store.js';
import type { SimView } from './slack-views.js';

/**
 * Interaction payloads as Slack sends them for the simulated workspace (team T0SIM, app A0KYC): the parts
 * every view submission and every button click share, so each form's helper only says what is its own.
 */

/** A view_submission of the modal `view`, with `values` as its state (block_id → action_id → value). */
export function viewSubmission(view: SimView, values: Record<string, unknown>, userId = 'U0AGENT'): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: { id: 'T0SIM', domain: 'sim' },
    user: { id: userId, username: 'agent', name: 'agent', team_id: 'T0SIM' },
    api_app_id: 'A0KYC',
    token: 'legacy',
    trigger_id: `${Date.now()}.${Math.random().toString(36).slice(2)}.sim`,
    view: {
      id: view.id,
      type: 'modal',
      team_id: 'T0SIM',
      callback_id: view.view['callback_id'],
      private_metadata: view.view['private_metadata'],
      hash: `${view.id}.hash`,
      state: { values },
    },
  };
}

/** A click on a button of `message`, as a block_actions payload. */
export function buttonClick(
  message: SimMessage,
  button: { actionId: string; blockId: string; value: string; text: unknown },
  p: { responseUrl: string; userId?: string; channelId?: string; channelName?: string },
): Record<string, unknown> {
  const channelId = p.channelId ?? message.channel;
  return {
    type: 'block_actions',
    token: 'legacy',
    api_app_id: 'A0KYC',
    user: { id: p.userId ?? 'U0AGENT', username: 'agent', team_id: 'T0SIM' },
    team: { id: 'T0SIM', domain: 'sim' },
    container: { type: 'message', message_ts: message.ts, channel_id: channelId, is_ephemeral: false },
    channel: { id: channelId, name: p.channelName ?? 'kyc' },
    message: { type: 'message', ts: message.ts, text: message.text, blocks: message.blocks },
    trigger_id: `${Date.now()}.${Math.random().toString(36).slice(2)}.sim`,
    response_url: p.responseUrl,
    actions: [{ type: 'button', action_id: button.actionId, block_id: button.blockId, value: button.value, text: button.text, action_ts: `${Date.now() / 1000}` }],
  };
}

/** An action in the Home tab (`home`: the published view, its blocks included), as a block_actions payload. */
export function homeAction(userId: string, home: Record<string, unknown>, action: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'block_actions',
    token: 'legacy',
    api_app_id: 'A0KYC',
    user: { id: userId, username: 'agent', team_id: 'T0SIM' },
    team: { id: 'T0SIM', domain: 'sim' },
    container: { type: 'view', view_id: 'V0HOME' },
    view: { id: 'V0HOME', type: 'home', hash: '1.abc', ...home },
    trigger_id: `${Date.now()}.${Math.random().toString(36).slice(2)}.sim`,
    actions: [{ ...action, action_ts: `${Date.now() / 1000}` }],
  };
}

/** Checkbox options chosen, as a view's state carries them. */
export function checked(values: readonly string[]): Record<string, unknown> {
  return { type: 'checkboxes', selected_options: values.map((v) => ({ text: { type: 'plain_text', text: v }, value: v })) };
}
