import type { SimMessage } from './slack-store.js';
import type { SimView } from './slack-views.js';

/** A click on *Choose channel and start* under a bulk upload's summary in the agent's DM, as Slack sends it. */
export function bulkReviewClick(message: SimMessage, responseUrl: string, userId = 'U0AGENT'): Record<string, unknown> {
  const blocks = Array.isArray(message.blocks) ? (message.blocks as Array<Record<string, unknown>>) : [];
  const actions = blocks.find((b) => b['block_id'] === 'kyc_bulk_actions');
  const button = (Array.isArray(actions?.['elements']) ? (actions['elements'] as Array<Record<string, unknown>>) : [])[0] ?? {};
  return {
    type: 'block_actions',
    token: 'legacy',
    api_app_id: 'A0KYC',
    user: { id: userId, username: 'agent', team_id: 'T0SIM' },
    team: { id: 'T0SIM', domain: 'sim' },
    container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
    channel: { id: message.channel, name: 'directmessage' },
    message: { type: 'message', ts: message.ts, text: message.text, blocks: message.blocks },
    trigger_id: `${Date.now()}.bulk.sim`,
    response_url: responseUrl,
    actions: [
      {
        type: 'button',
        block_id: 'kyc_bulk_actions',
        action_id: button['action_id'] ?? 'kyc_bulk_review',
        value: button['value'] ?? '',
        text: button['text'],
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
}

/** A view_submission of the bulk confirmation modal. */
export function bulkSubmission(
  view: SimView,
  values: { channel?: string; userTemplate?: string; agentTemplate?: string; notify?: string[] },
  userId = 'U0AGENT',
): Record<string, unknown> {
  const text = (value: string) => ({ value: { type: 'plain_text_input', value } });
  return {
    type: 'view_submission',
    team: { id: 'T0SIM', domain: 'sim' },
    user: { id: userId, username: 'agent', name: 'agent', team_id: 'T0SIM' },
    api_app_id: 'A0KYC',
    token: 'legacy',
    trigger_id: `${Date.now()}.bulk-submit.sim`,
    view: {
      id: view.id,
      type: 'modal',
      team_id: 'T0SIM',
      callback_id: view.view['callback_id'],
      private_metadata: view.view['private_metadata'],
      hash: `${view.id}.hash`,
      state: {
        values: {
          channel: { value: { type: 'conversations_select', selected_conversation: values.channel ?? null } },
          user_template: text(values.userTemplate ?? 'vkyc_user_template_v1'),
          agent_template: text(values.agentTemplate ?? 'vkyc_agent_template_v1'),
          notify: {
            value: { type: 'checkboxes', selected_options: (values.notify ?? ['sms']).map((v) => ({ text: { type: 'plain_text', text: v }, value: v })) },
          },
        },
      },
    },
  };
}
