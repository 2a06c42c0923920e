import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/listeners/commands/parse.js';
import { createLogger } from '../../src/log.js';
import { withoutPayloads } from '../../src/app/slack-app.js';
import { startModal } from '../../src/slack/vkyc-modal.js';
import {
  fieldOfCashfreeError,
  generateVerificationId,
  isEmail,
  normaliseIndianMobile,
  readStartForm,
  type StartFormInput,
} from '../../src/vkyc/start-form.js';

const valid: StartFormInput = {
  phone: '98765 43210',
  userTemplate: 'vkyc_user_template_v1',
  agentTemplate: 'vkyc_agent_template_v1',
  notify: ['sms'],
};
const newId = () => 'vkyc_generated';

describe('normaliseIndianMobile', () => {
  it.each([
    ['9876543210', '9876543210'],
    ['+91 98765 43210', '9876543210'],
    ['+91-98765-43210', '9876543210'],
    ['919876543210', '9876543210'],
    ['09876543210', '9876543210'],
    ['  6000000000 ', '6000000000'],
    ['9123456789', '9123456789'],
  ])('accepts %s as %s', (text, digits) => {
    expect(normaliseIndianMobile(text)).toBe(digits);
  });

  it.each(['5876543210', '987654321', '98765432101', '+1 9876543210', '98765 4321x', '', '+91', '0091 9876543210', '98.7654.3210'])(
    'refuses %s',
    (text) => {
      expect(normaliseIndianMobile(text)).toBeUndefined();
    },
  );
});

describe('isEmail', () => {
  it('accepts ordinary addresses and refuses the rest', () => {
    expect(isEmail('asha.k@example.in')).toBe(true);
    expect(isEmail('a+tag@mail.example.co.in')).toBe(true);
    for (const bad of ['asha', 'asha@', '@example.in', 'asha@example', 'a b@example.in', '<a@example.in>', `${'a'.repeat(250)}@example.in`]) {
      expect(isEmail(bad)).toBe(false);
    }
  });
});

describe('readStartForm', () => {
  it('normalises a valid form and generates the id when it is empty', () => {
    const form = readStartForm({ ...valid, name: '  Asha  ', email: '', verificationId: '  ' }, newId);
    expect(form).toEqual({
      ok: true,
      request: {
        phone: '9876543210',
        name: 'Asha',
        email: undefined,
        userTemplate: 'vkyc_user_template_v1',
        agentTemplate: 'vkyc_agent_template_v1',
        notify: ['sms'],
        verificationId: 'vkyc_generated',
        generatedId: true,
      },
    });
  });

  it('keeps a typed id of up to 50 allowed characters', () => {
    const id = `a.b-c_${'9'.repeat(44)}`;
    const form = readStartForm({ ...valid, verificationId: id }, newId);
    expect(form.ok && form.request).toMatchObject({ verificationId: id, generatedId: false });
  });

  it('reports every bad field at once, keyed by block id', () => {
    const form = readStartForm(
      { phone: '12345', name: '<script>', email: 'nope', userTemplate: 'bad name', agentTemplate: '', notify: ['fax'], verificationId: 'x'.repeat(51) },
      newId,
    );
    expect(form.ok).toBe(false);
    expect(Object.keys(form.ok ? {} : form.errors).sort()).toEqual(
      ['agent_template', 'email', 'name', 'notify', 'phone', 'user_template', 'verification_id'].sort(),
    );
  });

  it('asks for the phone when it is missing, and for a way to notify', () => {
    const form = readStartForm({ ...valid, phone: undefined, notify: [] }, newId);
    expect(form.ok ? {} : form.errors).toMatchObject({ phone: expect.stringContaining('mobile number'), notify: expect.stringContaining('SMS') });
  });
});

describe('generateVerificationId', () => {
  it('makes a valid id from the date and randomness', () => {
    const id = generateVerificationId(Date.UTC(2026, 10, 23, 12), 'a1b2c3d4e5f6');
    expect(id).toBe('vkyc_20261123_a1b2c3d4e5f6');
    expect(id).toMatch(/^[A-Za-z0-9._-]{1,50}$/);
  });
});

describe('fieldOfCashfreeError', () => {
  it.each([
    [409, 'verification_id_already_exists', 'verification_id already exists', 'verification_id'],
    [400, 'phone_value_invalid', 'phone is invalid', 'phone'],
    [400, 'email_value_invalid', 'email is invalid', 'email'],
    [400, 'name_value_invalid', 'name is too long', 'name'],
    [400, 'REQUEST_INVALID', 'user_template does not exist', 'user_template'],
    [400, 'agent_template_missing', 'agent_template is missing', 'agent_template'],
    [400, 'notification_types_value_invalid', 'bad', 'notify'],
  ])('puts %i %s on a field', (status, code, message, field) => {
    expect(fieldOfCashfreeError({ status, code, message })).toBe(field);
  });

  it.each([
    [422, 'insufficient_balance', 'Insufficient balance'],
    [401, 'authentication_failed', 'Invalid clientId and clientSecret combination'],
    [403, 'ip_validation_failed', 'IP not whitelisted'],
    [429, 'too_many_requests_per_operation', 'rate limit'],
    [500, 'request_failed', 'phone service down'],
    [400, 'request_body_invalid', 'Request body is not valid JSON.'],
    [409, 'user_already_exists', 'User already exists'],
    [400, 'template_name_missing', 'template_name is missing'],
  ])('leaves %i %s to a private message', (status, code, message) => {
    expect(fieldOfCashfreeError({ status, code, message })).toBeUndefined();
  });
});

describe('the /kyc vkyc modal', () => {
  it('parses the subcommand', () => {
    expect(parseCommand('vkyc')).toEqual({ kind: 'vkyc' });
    expect(parseCommand('VKYC 98765')).toMatchObject({ kind: 'invalid' });
  });

  it('keeps only the channel in private_metadata and stays within Slack limits', () => {
    const view = startModal({ channelId: 'C0KYC', defaults: { userTemplate: 'u', agentTemplate: 'a', notify: ['sms', 'email'] } });
    expect(view.private_metadata).toBe('{"channel":"C0KYC"}');
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(view.blocks)).toContain('"initial_options"');
  });
});

describe('personal data in logs', () => {
  it('redacts phone, name, email and the link by key, and phone numbers and emails in free text', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', write: (line) => lines.push(line) });
    logger.info('cashfree said: phone +91 98765-43210 or 9876543210 and asha.k@example.in are invalid', {
      body: { phone: '9876543210', name: 'Asha Kulkarni', email: 'x@y.in', vkyc_link: 'https://forms.cashfree.com/verification/abc' },
      ms: 1732360000123,
      ts: '1732360000.123456',
      verification_id: 'vkyc_20261123_a1b2c3d4e5f6',
    });
    const line = lines.join('\n');
    for (const secret of ['98765', '9876543210', 'Asha', 'asha.k@example.in', 'x@y.in', 'forms.cashfree.com']) expect(line).not.toContain(secret);
    expect(line).toContain('1732360000123');
    expect(line).toContain('1732360000.123456');
    expect(line).toContain('vkyc_20261123_a1b2c3d4e5f6');
  });

  it('cuts Slack payloads out of library log text', () => {
    expect(withoutPayloads('http request body: {"view":{"phone":"9876543210"}}')).toBe('http request body: [payload omitted]');
    expect(withoutPayloads('apiCall(views.update) start')).toBe('apiCall(views.update) start');
  });
});
