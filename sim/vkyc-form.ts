import { checked, viewSubmission } from './slack-payloads.js';
import type { SimView } from './slack-views.js';

/** What an agent types in the `/kyc vkyc` form. */
export interface FormValues {
  phone?: string;
  name?: string;
  email?: string;
  userTemplate?: string;
  agentTemplate?: string;
  notify?: string[];
  verificationId?: string;
  /** The channel picked, when the form has a picker (the global shortcut's). */
  channel?: string;
}

/** Whether the view has an input block with this block_id: Slack sends state only for the inputs a view has. */
function hasBlock(view: SimView, blockId: string): boolean {
  const blocks = view.view['blocks'];
  return Array.isArray(blocks) && blocks.some((b: unknown) => typeof b === 'object' && b !== null && 'block_id' in b && b.block_id === blockId);
}

const text = (value: string | undefined) => ({ value: { type: 'plain_text_input', value: value ?? null } });

/** A view_submission of the modal `view` as Slack sends it, with the agent's values in `state`. */
export function vkycSubmission(view: SimView, values: FormValues, userId = 'U0AGENT'): Record<string, unknown> {
  return viewSubmission(
    view,
    {
      ...(hasBlock(view, 'channel') ? { channel: { value: { type: 'conversations_select', selected_conversation: values.channel ?? null } } } : {}),
      phone: text(values.phone),
      name: text(values.name),
      email: { value: { type: 'email_text_input', value: values.email ?? null } },
      user_template: text(values.userTemplate ?? 'vkyc_user_template_v1'),
      agent_template: text(values.agentTemplate ?? 'vkyc_agent_template_v1'),
      notify: { value: checked(values.notify ?? ['sms']) },
      verification_id: text(values.verificationId),
    },
    userId,
  );
}

