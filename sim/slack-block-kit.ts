/**
 * Slack's documented Block Kit limits, checked as Slack checks them: a payload that breaks one is refused,
 * each problem named by a JSON pointer the way Slack words its `response_metadata.messages`.
 *
 * Sources: /work/shared/spec/slack-limits-and-workflows.md §2 and slack-interactivity.md §2–3, which quote
 * https://docs.slack.dev/reference/block-kit/blocks and each block, element and composition object page;
 * where they are silent, the same pages as @slack/types 3.2 quotes them (options, inputs, images, markdown
 * block), and https://docs.slack.dev/reference/methods/chat.postMessage (`text`: 40,000 characters).
 * Lengths are counted in UTF-16 code units, as the bot's own `clip` counts them.
 */
export const BLOCK_KIT_LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  /** chat.postMessage: "Provide no more than 40,000 characters"; Slack truncates beyond, the simulator refuses (`msg_too_long`). */
  messageText: 40_000,
  /** Any text object: 1 to 3,000 characters. */
  text: 3_000,
  sectionFields: 10,
  sectionField: 2_000,
  header: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2_000,
  url: 3_000,
  /** action_id, block_id, callback_id, external_id. */
  id: 255,
  accessibilityLabel: 75,
  imageAltText: 2_000,
  imageTitle: 2_000,
  inputLabel: 2_000,
  inputHint: 2_000,
  placeholder: 150,
  textInputLength: 3_000,
  optionText: 75,
  /** The option object page: "Maximum length for this field is 150 characters". */
  optionValue: 150,
  optionDescription: 75,
  checkboxOptions: 10,
  radioOptions: 10,
  overflowOptions: 5,
  selectOptions: 100,
  optionGroups: 100,
  optionGroupLabel: 75,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  markdownBlock: 12_000,
  viewTitle: 24,
  viewButton: 24,
  privateMetadata: 3_000,
  /** views.publish: `view_too_large` "if the provided view is greater than 250kb". */
  viewBytes: 250_000,
} as const;

const L = BLOCK_KIT_LIMITS;

/** Why Slack refuses a payload: its error code and what its `response_metadata.messages` would say. */
export interface Refusal {
  error: string;
  messages: string[];
}

export type Surface = 'message' | 'modal' | 'home';

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Collects problems for one payload. */
function createCheck() {
  const messages: string[] = [];
  const fail = (pointer: string, words: string) => void messages.push(`[ERROR] ${words} [json-pointer:${pointer}]`);

  function length(value: unknown, limit: number, pointer: string, min = 0): void {
    if (value === undefined) return;
    if (typeof value !== 'string') return fail(pointer, 'must provide a string');
    if (value.length > limit) fail(pointer, `must be less than ${limit + 1} characters`);
    if (value.length < min) fail(pointer, `must be more than ${min - 1} characters`);
  }

  function items(value: unknown, pointer: string, max: number, min = 0): unknown[] {
    if (!Array.isArray(value)) {
      fail(pointer, 'must provide an array');
      return [];
    }
    const list: unknown[] = value;
    if (list.length > max) fail(pointer, `no more than ${max} items allowed`);
    if (list.length < min) fail(pointer, `must provide at least ${min} items`);
    return list;
  }

  /** A text object: plain_text or mrkdwn, 1 to `limit` characters. */
  function text(value: unknown, pointer: string, limit: number, opts: { plainOnly?: boolean; required?: boolean } = {}): void {
    if (value === undefined) {
      if (opts.required !== false) fail(pointer, 'must provide an object');
      return;
    }
    if (!isRecord(value)) return fail(pointer, 'must provide an object');
    const allowed = opts.plainOnly === true ? ['plain_text'] : ['plain_text', 'mrkdwn'];
    if (typeof value['type'] !== 'string' || !allowed.includes(value['type'])) fail(`${pointer}/type`, `must be one of: ${allowed.join(', ')}`);
    if (typeof value['text'] !== 'string') return fail(`${pointer}/text`, 'must provide a string');
    length(value['text'], Math.min(limit, L.text), `${pointer}/text`, 1);
  }

  /** An image must say what it shows. */
  function altText(value: unknown, pointer: string): void {
    if (typeof value !== 'string') return fail(pointer, 'must provide a string');
    length(value, L.imageAltText, pointer, 1);
  }

  function confirm(value: unknown, pointer: string): void {
    if (value === undefined) return;
    if (!isRecord(value)) return fail(pointer, 'must provide an object');
    text(value['title'], `${pointer}/title`, L.confirmTitle, { plainOnly: true });
    text(value['text'], `${pointer}/text`, L.confirmText);
    text(value['confirm'], `${pointer}/confirm`, L.confirmButton, { plainOnly: true });
    text(value['deny'], `${pointer}/deny`, L.confirmButton, { plainOnly: true });
    if (value['style'] !== undefined && value['style'] !== 'primary' && value['style'] !== 'danger') fail(`${pointer}/style`, 'must be one of: primary, danger');
  }

  function option(value: unknown, pointer: string, plainOnly: boolean): void {
    if (!isRecord(value)) return fail(pointer, 'must provide an object');
    text(value['text'], `${pointer}/text`, L.optionText, { plainOnly });
    length(value['value'], L.optionValue, `${pointer}/value`, 1);
    text(value['description'], `${pointer}/description`, L.optionDescription, { plainOnly: true, required: false });
    length(value['url'], L.url, `${pointer}/url`);
  }

  function options(value: unknown, pointer: string, max: number, plainOnly: boolean, required = true): void {
    if (value === undefined && !required) return;
    items(value, pointer, max, 1).forEach((o, i) => option(o, `${pointer}/${i}`, plainOnly));
  }

  /** Slack: an initial option must be exactly one of the element's options. */
  function initialOptions(element: Json, pointer: string): void {
    const list = Array.isArray(element['options']) ? element['options'].map((o: unknown) => JSON.stringify(o)) : [];
    const initial = element['initial_option'] === undefined ? [] : [element['initial_option']];
    const many: unknown[] = Array.isArray(element['initial_options']) ? element['initial_options'] : [];
    const chosen = [...initial.map((o) => ({ o, at: `${pointer}/initial_option` })), ...many.map((o, i) => ({ o, at: `${pointer}/initial_options/${i}` }))];
    for (const { o, at } of chosen) if (!list.includes(JSON.stringify(o))) fail(at, 'must match one of the provided options');
  }

  /** number_input: `is_decimal_allowed` is required; bounds and the initial value are numbers as strings, in order. */
  function numberInput(element: Json, pointer: string): void {
    if (typeof element['is_decimal_allowed'] !== 'boolean') fail(`${pointer}/is_decimal_allowed`, 'must provide a boolean');
    const read = (key: string): number | undefined => {
      const raw = element[key];
      if (raw === undefined) return undefined;
      const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
      if (Number.isNaN(n) || (element['is_decimal_allowed'] === false && !Number.isInteger(n))) fail(`${pointer}/${key}`, 'must provide a valid number string');
      return Number.isNaN(n) ? undefined : n;
    };
    const min = read('min_value');
    const max = read('max_value');
    const initial = read('initial_value');
    if (min !== undefined && max !== undefined && min > max) fail(`${pointer}/min_value`, 'must be less than or equal to max_value');
    if (initial !== undefined && ((min !== undefined && initial < min) || (max !== undefined && initial > max))) {
      fail(`${pointer}/initial_value`, 'must be between min_value and max_value');
    }
  }

  /** A conversation picker's `filter` and `default_to_current_conversation`, as the element's page documents them. */
  function conversationFilter(value: Json, pointer: string): void {
    const current = value['default_to_current_conversation'];
    if (current !== undefined && typeof current !== 'boolean') fail(`${pointer}/default_to_current_conversation`, 'must provide a boolean');
    const filter = value['filter'];
    if (filter === undefined) return;
    if (!isRecord(filter)) return fail(`${pointer}/filter`, 'must provide an object');
    if (filter['include'] !== undefined) {
      items(filter['include'], `${pointer}/filter/include`, 4, 1).forEach((kind, i) => {
        if (kind !== 'im' && kind !== 'mpim' && kind !== 'private' && kind !== 'public') fail(`${pointer}/filter/include/${i}`, 'must be one of: im, mpim, private, public');
      });
    }
    for (const flag of ['exclude_external_shared_channels', 'exclude_bot_users']) {
      if (filter[flag] !== undefined && typeof filter[flag] !== 'boolean') fail(`${pointer}/filter/${flag}`, 'must provide a boolean');
    }
  }

  /** An interactive or image element; action_ids must be unique within their block. */
  function element(value: unknown, pointer: string, actionIds: Set<string>): void {
    if (!isRecord(value)) return fail(pointer, 'must provide an object');
    const type = value['type'];
    const actionId = value['action_id'];
    if (actionId !== undefined) {
      length(actionId, L.id, `${pointer}/action_id`, 1);
      if (typeof actionId === 'string') {
        if (actionIds.has(actionId)) fail(`${pointer}/action_id`, `duplicate action_id ${actionId} in the block`);
        actionIds.add(actionId);
      }
    }
    confirm(value['confirm'], `${pointer}/confirm`);
    if (value['placeholder'] !== undefined) text(value['placeholder'], `${pointer}/placeholder`, L.placeholder, { plainOnly: true });
    switch (type) {
      case 'button':
        text(value['text'], `${pointer}/text`, L.buttonText, { plainOnly: true });
        length(value['value'], L.buttonValue, `${pointer}/value`, 1);
        length(value['url'], L.url, `${pointer}/url`, 1);
        length(value['accessibility_label'], L.accessibilityLabel, `${pointer}/accessibility_label`, 1);
        if (value['style'] !== undefined && value['style'] !== 'primary' && value['style'] !== 'danger') fail(`${pointer}/style`, 'must be one of: primary, danger');
        return;
      case 'checkboxes':
        options(value['options'], `${pointer}/options`, L.checkboxOptions, false);
        return initialOptions(value, pointer);
      case 'conversations_select':
      case 'multi_conversations_select':
        return conversationFilter(value, pointer);
      case 'radio_buttons':
        options(value['options'], `${pointer}/options`, L.radioOptions, false);
        return initialOptions(value, pointer);
      case 'number_input':
        return numberInput(value, pointer);
      case 'overflow':
        return options(value['options'], `${pointer}/options`, L.overflowOptions, true);
      case 'static_select':
      case 'multi_static_select':
        options(value['options'], `${pointer}/options`, L.selectOptions, true, value['option_groups'] === undefined);
        if (value['option_groups'] !== undefined) {
          items(value['option_groups'], `${pointer}/option_groups`, L.optionGroups, 1).forEach((group, i) => {
            const at = `${pointer}/option_groups/${i}`;
            if (!isRecord(group)) return fail(at, 'must provide an object');
            text(group['label'], `${at}/label`, L.optionGroupLabel, { plainOnly: true });
            options(group['options'], `${at}/options`, L.selectOptions, true);
          });
        }
        return;
      case 'plain_text_input': {
        if (typeof value['min_length'] === 'number' && value['min_length'] > L.textInputLength) fail(`${pointer}/min_length`, `must be at most ${L.textInputLength}`);
        const maxLength = typeof value['max_length'] === 'number' ? value['max_length'] : L.textInputLength;
        length(value['initial_value'], maxLength, `${pointer}/initial_value`);
        return;
      }
      case 'image':
        length(value['image_url'], L.url, `${pointer}/image_url`, 1);
        return altText(value['alt_text'], `${pointer}/alt_text`);
      default:
        if (typeof type !== 'string' || type === '') fail(`${pointer}/type`, 'must provide a string');
    }
  }

  function block(value: unknown, pointer: string, blockIds: Set<string>): void {
    if (!isRecord(value)) return fail(pointer, 'must provide an object');
    const blockId = value['block_id'];
    if (blockId !== undefined) {
      length(blockId, L.id, `${pointer}/block_id`, 1);
      if (typeof blockId === 'string') {
        if (blockIds.has(blockId)) fail(`${pointer}/block_id`, `duplicate block_id ${blockId}`);
        blockIds.add(blockId);
      }
    }
    const actionIds = new Set<string>();
    switch (value['type']) {
      case 'section':
        if (value['text'] === undefined && value['fields'] === undefined) fail(pointer, 'must provide text or fields');
        text(value['text'], `${pointer}/text`, L.text, { required: false });
        if (value['fields'] !== undefined) {
          items(value['fields'], `${pointer}/fields`, L.sectionFields, 1).forEach((f, i) => text(f, `${pointer}/fields/${i}`, L.sectionField));
        }
        if (value['accessory'] !== undefined) element(value['accessory'], `${pointer}/accessory`, actionIds);
        return;
      case 'header':
        return text(value['text'], `${pointer}/text`, L.header, { plainOnly: true });
      case 'context':
        items(value['elements'], `${pointer}/elements`, L.contextElements, 1).forEach((e, i) => {
          const at = `${pointer}/elements/${i}`;
          if (isRecord(e) && e['type'] === 'image') element(e, at, actionIds);
          else text(e, at, L.text);
        });
        return;
      case 'actions':
        items(value['elements'], `${pointer}/elements`, L.actionsElements, 1).forEach((e, i) => element(e, `${pointer}/elements/${i}`, actionIds));
        return;
      case 'divider':
      case 'file':
      case 'rich_text':
      case 'video':
      case 'table':
        return;
      case 'image':
        length(value['image_url'], L.url, `${pointer}/image_url`, 1);
        altText(value['alt_text'], `${pointer}/alt_text`);
        text(value['title'], `${pointer}/title`, L.imageTitle, { plainOnly: true, required: false });
        return;
      case 'input':
        text(value['label'], `${pointer}/label`, L.inputLabel, { plainOnly: true });
        text(value['hint'], `${pointer}/hint`, L.inputHint, { plainOnly: true, required: false });
        if (value['element'] === undefined) fail(`${pointer}/element`, 'must provide an object');
        else element(value['element'], `${pointer}/element`, actionIds);
        return;
      case 'markdown':
        if (typeof value['text'] !== 'string') return fail(`${pointer}/text`, 'must provide a string');
        return length(value['text'], L.markdownBlock, `${pointer}/text`, 1);
      default:
        fail(`${pointer}/type`, `unsupported block type ${JSON.stringify(value['type'])}`);
    }
  }

  function blocks(value: unknown, pointer: string, surface: Surface): void {
    const blockIds = new Set<string>();
    items(value, pointer, surface === 'message' ? L.messageBlocks : L.viewBlocks).forEach((b, i) => block(b, `${pointer}/${i}`, blockIds));
  }

  return { messages, fail, length, text, blocks };
}

/** Slack's Web API answer to a refused payload, the problems in `response_metadata.messages`. */
export function refusedAnswer(refusal: Refusal): Record<string, unknown> {
  return { ok: false, error: refusal.error, response_metadata: { messages: refusal.messages } };
}

const refusal = (error: string, messages: string[]): Refusal | undefined => (messages.length === 0 ? undefined : { error, messages });

/** The blocks of one surface: a message (50 blocks at most), a modal or a Home tab (100). */
export function blocksProblems(blocks: unknown, surface: Surface, pointer = '/blocks'): string[] {
  const check = createCheck();
  check.blocks(blocks, pointer, surface);
  return check.messages;
}

/**
 * A message as chat.postMessage, chat.update, chat.postEphemeral or a response_url takes it:
 * `invalid_blocks` for blocks that break a limit, `msg_too_long` for a `text` past 40,000 characters.
 */
export function messageRefusal(payload: Record<string, unknown>): Refusal | undefined {
  const text = payload['text'];
  if (typeof text === 'string' && text.length > L.messageText) {
    return { error: 'msg_too_long', messages: [`[ERROR] must be less than ${L.messageText + 1} characters [json-pointer:/text]`] };
  }
  const blocks = payload['blocks'];
  if (blocks === undefined || blocks === '') return undefined;
  if (!Array.isArray(blocks)) return { error: 'invalid_blocks_format', messages: ['[ERROR] must provide an array [json-pointer:/blocks]'] };
  return refusal('invalid_blocks', blocksProblems(blocks, 'message'));
}

/** A view as views.open, views.update, views.publish or a view_submission ack takes it: `invalid_arguments`, or `view_too_large`. */
export function viewRefusal(view: unknown): Refusal | undefined {
  if (!isRecord(view)) return { error: 'invalid_arguments', messages: ['[ERROR] must provide an object [json-pointer:/view]'] };
  if (Buffer.byteLength(JSON.stringify(view)) > L.viewBytes) return { error: 'view_too_large', messages: [] };
  const check = createCheck();
  const type = view['type'];
  if (type !== 'modal' && type !== 'home') check.fail('/view/type', 'must be one of: modal, home');
  const surface: Surface = type === 'home' ? 'home' : 'modal';
  check.blocks(view['blocks'], '/view/blocks', surface);
  check.length(view['private_metadata'], L.privateMetadata, '/view/private_metadata');
  check.length(view['callback_id'], L.id, '/view/callback_id');
  check.length(view['external_id'], L.id, '/view/external_id');
  if (surface === 'modal') {
    check.text(view['title'], '/view/title', L.viewTitle, { plainOnly: true });
    check.text(view['close'], '/view/close', L.viewButton, { plainOnly: true, required: false });
    const hasInput = Array.isArray(view['blocks']) && view['blocks'].some((b: unknown) => isRecord(b) && b['type'] === 'input');
    check.text(view['submit'], '/view/submit', L.viewButton, { plainOnly: true, required: hasInput });
  }
  return refusal('invalid_arguments', check.messages);
}

/**
 * What an app sends back in its acknowledgement (the HTTP response body, or a Socket Mode ack's payload):
 * a view for `response_action: update | push`, otherwise a message (an ephemeral answer to a slash command).
 */
export function ackRefusal(ack: unknown, submitted?: Record<string, unknown>): Refusal | undefined {
  if (!isRecord(ack)) return undefined;
  const action = ack['response_action'];
  if (action === 'update' || action === 'push') return viewRefusal(ack['view']);
  if (action === 'errors') return errorsRefusal(ack['errors'], submitted);
  if (action !== undefined) return undefined;
  return messageRefusal(ack);
}

/**
 * `response_action: errors`: a non-empty object whose keys are block_ids of input blocks in the submitted view
 * (Slack shows nothing, and the user sees "We had some trouble connecting", for any other key).
 */
function errorsRefusal(errors: unknown, submitted: Record<string, unknown> | undefined): Refusal | undefined {
  const check = createCheck();
  if (!isRecord(errors) || Object.keys(errors).length === 0) {
    check.fail('/errors', 'must provide a non-empty object');
    return refusal('invalid_arguments', check.messages);
  }
  const blocks: unknown[] = Array.isArray(submitted?.['blocks']) ? submitted['blocks'] : [];
  const inputs = new Set(blocks.flatMap((b) => (isRecord(b) && b['type'] === 'input' && typeof b['block_id'] === 'string' ? [b['block_id']] : [])));
  for (const [blockId, words] of Object.entries(errors)) {
    if (submitted !== undefined && !inputs.has(blockId)) check.fail(`/errors/${blockId}`, 'must name the block_id of an input block in the view');
    if (typeof words !== 'string' || words === '') check.fail(`/errors/${blockId}`, 'must provide a string');
  }
  return refusal('invalid_arguments', check.messages);
}
