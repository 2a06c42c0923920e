import { viewSubmission } from './slack-payloads.js';
import type { SimView } from './slack-views.js';

/** What an agent chooses in the `/kyc settings` form; a field left undefined keeps the form's initial value. */
export interface SettingsValues {
  finalPosts?: 'broadcast' | 'thread_only' | string;
  threadDetail?: 'every_change' | 'condensed' | string;
  stuckMinutes?: string | null;
  escalation?: string | null;
}

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The element of the input block `blockId` in a view, as the bot built it. */
function element(view: SimView, blockId: string): Json {
  const blocks: unknown[] = Array.isArray(view.view['blocks']) ? view.view['blocks'] : [];
  const block = blocks.find((b) => isRecord(b) && b['block_id'] === blockId);
  return isRecord(block) && isRecord(block['element']) ? block['element'] : {};
}

function radio(view: SimView, blockId: string, chosen: string | undefined): Json {
  const initial = element(view, blockId)['initial_option'];
  const option = chosen === undefined ? initial : { text: { type: 'plain_text', text: chosen }, value: chosen };
  return { value: { type: 'radio_buttons', selected_option: option ?? null } };
}

function text(view: SimView, blockId: string, type: string, chosen: string | null | undefined): Json {
  const initial = element(view, blockId)['initial_value'];
  const value = chosen === undefined ? (typeof initial === 'string' ? initial : null) : chosen;
  return { value: { type, value } };
}

/** A view_submission of the settings modal `view` as Slack sends it: what the form showed, changed where `values` says. */
export function settingsSubmission(view: SimView, values: SettingsValues, userId = 'U0AGENT'): Json {
  return viewSubmission(
    view,
    {
      final_posts: radio(view, 'final_posts', values.finalPosts),
      thread_detail: radio(view, 'thread_detail', values.threadDetail),
      stuck_minutes: text(view, 'stuck_minutes', 'number_input', values.stuckMinutes),
      escalation: text(view, 'escalation', 'plain_text_input', values.escalation),
    },
    userId,
  );
}
