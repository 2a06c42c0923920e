import { describe, expect, it } from 'vitest';
import { ackRefusal, BLOCK_KIT_LIMITS as L, blocksProblems, messageRefusal, viewRefusal } from '../../sim/slack-block-kit.js';

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const plain = (text: string) => ({ type: 'plain_text', text });
const button = (over: Record<string, unknown> = {}) => ({ type: 'button', action_id: 'go', text: plain('Go'), value: 'v', ...over });
const actions = (elements: unknown[], blockId?: string) => ({ type: 'actions', ...(blockId === undefined ? {} : { block_id: blockId }), elements });
const many = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));
const modal = (over: Record<string, unknown> = {}) => ({ type: 'modal', title: plain('Start'), blocks: [section('hi')], ...over });

describe('Block Kit limits (sim/slack-block-kit.ts)', () => {
  it('accepts what the limits allow, right up to each limit', () => {
    const blocks = [
      { type: 'header', text: plain('h'.repeat(L.header)) },
      section('s'.repeat(L.text)),
      { type: 'section', fields: many(L.sectionFields, () => ({ type: 'mrkdwn', text: 'f'.repeat(L.sectionField) })) },
      { type: 'context', elements: many(L.contextElements, () => ({ type: 'mrkdwn', text: 'c' })) },
      actions(many(L.actionsElements, (i) => button({ action_id: 'a'.repeat(L.id - 3) + String(i).padStart(3, '0'), text: plain('b'.repeat(L.buttonText)), value: 'v'.repeat(L.buttonValue) }))),
      { type: 'divider', block_id: 'd'.repeat(L.id) },
      ...many(L.messageBlocks - 6, () => ({ type: 'divider' })),
    ];
    expect(blocks).toHaveLength(L.messageBlocks);
    expect(blocksProblems(blocks, 'message')).toEqual([]);
    expect(messageRefusal({ text: 't'.repeat(L.messageText), blocks })).toBeUndefined();
    expect(viewRefusal({ type: 'home', blocks: many(L.viewBlocks, () => ({ type: 'divider' })) })).toBeUndefined();
  });

  it('refuses one past each limit, naming where, as Slack words it', () => {
    const cases: [string, unknown[], string][] = [
      ['51 blocks', many(L.messageBlocks + 1, () => ({ type: 'divider' })), '[ERROR] no more than 50 items allowed [json-pointer:/blocks]'],
      ['section text', [section('s'.repeat(L.text + 1))], '[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
      ['11 fields', [{ type: 'section', fields: many(11, () => plain('f')) }], '[ERROR] no more than 10 items allowed [json-pointer:/blocks/0/fields]'],
      ['field length', [{ type: 'section', fields: [plain('f'.repeat(L.sectionField + 1))] }], '[ERROR] must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]'],
      ['header length', [{ type: 'header', text: plain('h'.repeat(L.header + 1)) }], '[ERROR] must be less than 151 characters [json-pointer:/blocks/0/text/text]'],
      ['mrkdwn header', [{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }], '[ERROR] must be one of: plain_text [json-pointer:/blocks/0/text/type]'],
      ['11 context elements', [{ type: 'context', elements: many(11, () => plain('c')) }], '[ERROR] no more than 10 items allowed [json-pointer:/blocks/0/elements]'],
      ['26 actions', [actions(many(26, (i) => button({ action_id: `a${i}` })))], '[ERROR] no more than 25 items allowed [json-pointer:/blocks/0/elements]'],
      ['button text', [actions([button({ text: plain('b'.repeat(L.buttonText + 1)) })])], '[ERROR] must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]'],
      ['button value', [actions([button({ value: 'v'.repeat(L.buttonValue + 1) })])], '[ERROR] must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]'],
      ['button url', [actions([button({ url: `https://x/${'u'.repeat(L.url)}` })])], '[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/elements/0/url]'],
      ['action_id', [actions([button({ action_id: 'a'.repeat(L.id + 1) })])], '[ERROR] must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]'],
      ['block_id', [{ type: 'divider', block_id: 'b'.repeat(L.id + 1) }], '[ERROR] must be less than 256 characters [json-pointer:/blocks/0/block_id]'],
      ['same block_id twice', [{ type: 'divider', block_id: 'x' }, { type: 'divider', block_id: 'x' }], '[ERROR] duplicate block_id x [json-pointer:/blocks/1/block_id]'],
      ['same action_id in a block', [actions([button(), button()])], '[ERROR] duplicate action_id go in the block [json-pointer:/blocks/0/elements/1/action_id]'],
      ['empty text', [section('')], '[ERROR] must be more than 0 characters [json-pointer:/blocks/0/text/text]'],
      ['image without alt_text', [{ type: 'image', image_url: 'https://x/i.png' }], '[ERROR] must provide a string [json-pointer:/blocks/0/alt_text]'],
      ['confirm text', [actions([button({ confirm: { title: plain('t'), text: plain('x'.repeat(L.confirmText + 1)), confirm: plain('y'), deny: plain('n') } })])], '[ERROR] must be less than 301 characters [json-pointer:/blocks/0/elements/0/confirm/text/text]'],
      ['11 checkboxes', [{ type: 'input', label: plain('l'), element: { type: 'checkboxes', action_id: 'c', options: many(11, (i) => ({ text: plain(`o${i}`), value: `o${i}` })) } }], '[ERROR] no more than 10 items allowed [json-pointer:/blocks/0/element/options]'],
      ['unknown block', [{ type: 'sparkles' }], '[ERROR] unsupported block type "sparkles" [json-pointer:/blocks/0/type]'],
    ];
    for (const [name, blocks, message] of cases) {
      expect(messageRefusal({ text: name, blocks }), name).toEqual({ error: 'invalid_blocks', messages: [message] });
    }
  });

  it('refuses a message text past 40,000 characters, and blocks that are not an array', () => {
    expect(messageRefusal({ text: 't'.repeat(L.messageText + 1) })?.error).toBe('msg_too_long');
    expect(messageRefusal({ text: 'x', blocks: '[{' })?.error).toBe('invalid_blocks_format');
    expect(messageRefusal({ text: 'x' })).toBeUndefined();
  });

  it('the same action_id in two blocks is fine (a modal gives every input the action_id `value`)', () => {
    expect(blocksProblems([actions([button()], 'a'), actions([button()], 'b')], 'message')).toEqual([]);
  });

  it('views: 100 blocks, a title of 24, submit when there is an input, private_metadata of 3,000', () => {
    expect(viewRefusal(modal())).toBeUndefined();
    expect(viewRefusal(modal({ blocks: many(L.viewBlocks + 1, () => ({ type: 'divider' })) }))).toEqual({
      error: 'invalid_arguments',
      messages: ['[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]'],
    });
    expect(viewRefusal(modal({ title: plain('t'.repeat(L.viewTitle + 1)) }))?.messages).toEqual(['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]']);
    expect(viewRefusal(modal({ blocks: [{ type: 'input', label: plain('l'), element: { type: 'plain_text_input', action_id: 'v' } }] }))?.messages).toEqual([
      '[ERROR] must provide an object [json-pointer:/view/submit]',
    ]);
    expect(viewRefusal(modal({ private_metadata: 'm'.repeat(L.privateMetadata + 1) }))?.messages).toEqual([
      '[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]',
    ]);
    expect(viewRefusal({ type: 'home', blocks: [section('x'.repeat(L.viewBytes))] })?.error).toBe('view_too_large');
  });

  it('acknowledgements: a view for response_action update or push, otherwise a message', () => {
    expect(ackRefusal(undefined)).toBeUndefined();
    expect(ackRefusal({ response_type: 'ephemeral', text: 'ok' })).toBeUndefined();
    expect(ackRefusal({ response_type: 'ephemeral', text: 't'.repeat(L.messageText + 1) })?.error).toBe('msg_too_long');
    expect(ackRefusal({ response_action: 'update', view: modal({ title: plain('') }) })?.error).toBe('invalid_arguments');
    expect(ackRefusal({ response_action: 'errors', errors: { phone: 'wrong' } })).toBeUndefined();
  });

  it('modal inputs: initial options among the options, number inputs as Slack reads them, initial text within max_length', () => {
    const input = (element: Record<string, unknown>) => modal({ submit: plain('Save'), blocks: [{ type: 'input', block_id: 'b', label: plain('l'), element }] });
    const opts = [{ text: plain('A'), value: 'a' }, { text: plain('B'), value: 'b' }];
    expect(viewRefusal(input({ type: 'radio_buttons', action_id: 'v', options: opts, initial_option: opts[1] }))).toBeUndefined();
    expect(viewRefusal(input({ type: 'radio_buttons', action_id: 'v', options: opts, initial_option: { text: plain('C'), value: 'c' } }))?.messages).toEqual([
      '[ERROR] must match one of the provided options [json-pointer:/view/blocks/0/element/initial_option]',
    ]);
    expect(viewRefusal(input({ type: 'checkboxes', action_id: 'v', options: opts, initial_options: [{ text: plain('A'), value: 'x' }] }))?.messages).toEqual([
      '[ERROR] must match one of the provided options [json-pointer:/view/blocks/0/element/initial_options/0]',
    ]);
    expect(viewRefusal(input({ type: 'number_input', action_id: 'v', is_decimal_allowed: false, min_value: '1', max_value: '10', initial_value: '5' }))).toBeUndefined();
    expect(viewRefusal(input({ type: 'number_input', action_id: 'v', min_value: '1' }))?.messages).toEqual([
      '[ERROR] must provide a boolean [json-pointer:/view/blocks/0/element/is_decimal_allowed]',
    ]);
    expect(viewRefusal(input({ type: 'number_input', action_id: 'v', is_decimal_allowed: false, min_value: '1', max_value: '10', initial_value: '11' }))?.messages).toEqual([
      '[ERROR] must be between min_value and max_value [json-pointer:/view/blocks/0/element/initial_value]',
    ]);
    expect(viewRefusal(input({ type: 'number_input', action_id: 'v', is_decimal_allowed: false, initial_value: '2.5' }))?.messages).toEqual([
      '[ERROR] must provide a valid number string [json-pointer:/view/blocks/0/element/initial_value]',
    ]);
    expect(viewRefusal(input({ type: 'plain_text_input', action_id: 'v', max_length: 3, initial_value: 'abcd' }))?.messages).toEqual([
      '[ERROR] must be less than 4 characters [json-pointer:/view/blocks/0/element/initial_value]',
    ]);
  });

  it('response_action errors: a non-empty object naming input blocks of the submitted view', () => {
    const submitted = modal({ blocks: [section('intro'), { type: 'input', block_id: 'phone', label: plain('l'), element: { type: 'plain_text_input', action_id: 'v' } }] });
    expect(ackRefusal({ response_action: 'errors', errors: { phone: 'wrong' } }, submitted)).toBeUndefined();
    expect(ackRefusal({ response_action: 'errors', errors: {} })?.messages).toEqual(['[ERROR] must provide a non-empty object [json-pointer:/errors]']);
    expect(ackRefusal({ response_action: 'errors', errors: { email: 'wrong' } }, submitted)?.messages).toEqual([
      '[ERROR] must name the block_id of an input block in the view [json-pointer:/errors/email]',
    ]);
  });
});
