import { buttonClick, checked, viewSubmission } from './slack-payloads.js';
import type { SimMessage } from './slack-store.js';
import type { SimView } from './slack-views.js';

/** A click on *Choose channel and start* under a bulk upload's summary in the agent's DM, as Slack sends it. */
export function bulkReviewClick(message: SimMessage, responseUrl: string, userId = 'U0AGENT'): Record<string, unknown> {
  const blocks = Array.isArray(message.blocks) ? (message.blocks as Array<Record<string, unknown>>) : [];
  const actions = blocks.find((b) => b['block_id'] === 'kyc_bulk_actions');
  const button = (Array.isArray(actions?.['elements']) ? (actions['elements'] as Array<Record<string, unknown>>) : [])[0] ?? {};
  return buttonClick(
    message,
    { actionId: String(button['action_id'] ?? 'kyc_bulk_review'), blockId: 'kyc_bulk_actions', value: String(button['value'] ?? ''), text: button['text'] },
    { responseUrl, userId, channelName: 'directmessage' },
  );
}

/** A view_submission of the bulk confirmation modal. */
export function bulkSubmission(
  view: SimView,
  values: { channel?: string; userTemplate?: string; agentTemplate?: string; notify?: string[] },
  userId = 'U0AGENT',
): Record<string, unknown> {
  const text = (value: string) => ({ value: { type: 'plain_text_input', value } });
  return viewSubmission(
    view,
    {
      channel: { value: { type: 'conversations_select', selected_conversation: values.channel ?? null } },
      user_template: text(values.userTemplate ?? 'vkyc_user_template_v1'),
      agent_template: text(values.agentTemplate ?? 'vkyc_agent_template_v1'),
      notify: { value: checked(values.notify ?? ['sms']) },
    },
    userId,
  );
}
