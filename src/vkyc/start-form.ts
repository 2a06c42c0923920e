import type { NotificationType } from './types.js';
import { say } from '../text/words.js';

/**
 * The `/kyc vkyc` form as data: what the agent typed, checked and normalised into
 * what Cashfree's POST /user and POST /vkyc take, or field errors in plain words.
 */

/** The modal's fields; each name is also its input block's `block_id`, so an error lands on its field. */
export const START_FIELDS = ['phone', 'name', 'email', 'user_template', 'agent_template', 'notify', 'verification_id'] as const;
export type StartField = (typeof START_FIELDS)[number];
export type FieldErrors = Partial<Record<StartField, string>>;

/** What the agent submitted, as text; empty inputs are undefined. */
export interface StartFormInput {
  phone?: string | undefined;
  name?: string | undefined;
  email?: string | undefined;
  userTemplate?: string | undefined;
  agentTemplate?: string | undefined;
  notify: readonly string[];
  verificationId?: string | undefined;
}

export interface StartRequest {
  /** 10 digits, starting 6–9. */
  phone: string;
  name: string | undefined;
  email: string | undefined;
  userTemplate: string;
  agentTemplate: string;
  notify: NotificationType[];
  verificationId: string;
  /** True when the bot made the id up because the agent left it empty. */
  generatedId: boolean;
}

export const TEMPLATE_NAME = /^[A-Za-z0-9._-]{1,100}$/;
export const VERIFICATION_ID = /^[A-Za-z0-9._-]{1,50}$/;
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;
const NOTIFICATION_TYPES: readonly NotificationType[] = ['sms', 'whatsapp', 'email'];
export const NAME_LIMIT = 100;

/** An Indian mobile number as 10 digits starting 6–9; `+91`, `91` and `0` prefixes, spaces and dashes are accepted. */
export function normaliseIndianMobile(text: string): string | undefined {
  const compact = text.trim().replace(/[\s-]/g, '');
  const match = /^(?:\+91|91|0)?([6-9]\d{9})$/.exec(compact);
  return match?.[1];
}

/** A customer's name as Cashfree takes it: at most NAME_LIMIT characters, no control characters, no < or >. */
export function isCustomerName(text: string): boolean {
  return text.length <= NAME_LIMIT && !/[\p{Cc}<>]/u.test(text);
}

export function isEmail(text: string): boolean {
  return text.length <= 254 && EMAIL.test(text);
}

/** A verification id for an agent who left the field empty: `vkyc_<yyyymmdd>_<random>`, well within 50 characters. */
export function generateVerificationId(nowMs: number, random: string): string {
  const day = new Date(nowMs).toISOString().slice(0, 10).replace(/-/g, '');
  return `vkyc_${day}_${random.replace(/[^A-Za-z0-9]/g, '').slice(0, 16)}`;
}

function isNotificationType(value: string): value is NotificationType {
  return (NOTIFICATION_TYPES as readonly string[]).includes(value);
}

const blank = (value: string | undefined) => {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
};

/** Checks every field at once, so the agent sees all the problems in one go. */
export function readStartForm(
  input: StartFormInput,
  newVerificationId: () => string,
): { ok: true; request: StartRequest } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const phoneText = blank(input.phone);
  const phone = phoneText === undefined ? undefined : normaliseIndianMobile(phoneText);
  if (phoneText === undefined) errors.phone = say.vkycField.phoneMissing;
  else if (phone === undefined) errors.phone = say.vkycField.phoneInvalid;

  const name = blank(input.name);
  if (name !== undefined && !isCustomerName(name)) errors.name = say.vkycField.nameInvalid(NAME_LIMIT);

  const email = blank(input.email);
  if (email !== undefined && !isEmail(email)) errors.email = say.vkycField.emailInvalid;

  const userTemplate = blank(input.userTemplate);
  if (userTemplate === undefined || !TEMPLATE_NAME.test(userTemplate)) errors.user_template = say.vkycField.templateInvalid;
  const agentTemplate = blank(input.agentTemplate);
  if (agentTemplate === undefined || !TEMPLATE_NAME.test(agentTemplate)) errors.agent_template = say.vkycField.templateInvalid;

  const notify = [...new Set(input.notify)];
  if (notify.length === 0) errors.notify = say.vkycField.notifyMissing;
  const known = notify.filter(isNotificationType);
  if (known.length !== notify.length) errors.notify = say.vkycField.notifyMissing;

  const typedId = blank(input.verificationId);
  if (typedId !== undefined && !VERIFICATION_ID.test(typedId)) errors.verification_id = say.vkycField.verificationIdInvalid;

  if (phone === undefined || userTemplate === undefined || agentTemplate === undefined || Object.keys(errors).length > 0) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    request: {
      phone,
      name,
      email,
      userTemplate,
      agentTemplate,
      notify: known,
      verificationId: typedId ?? newVerificationId(),
      generatedId: typedId === undefined,
    },
  };
}

/** Codes and messages that name a field, first match wins; Cashfree's `code` is not strict (§8), so both are read. */
const FIELD_WORDS: ReadonlyArray<[RegExp, StartField]> = [
  [/verification_id/, 'verification_id'],
  [/user_template/, 'user_template'],
  [/agent_template/, 'agent_template'],
  [/notification/, 'notify'],
  [/phone/, 'phone'],
  [/email/, 'email'],
  [/^name\b|^name_|customer name/, 'name'],
];

/**
 * Which field of the form a Cashfree refusal concerns, if any: a 409 duplicate verification id, or a
 * 400 that names a field. Everything else (credentials, balance, rate limits, outages) is not the form's fault.
 */
export function fieldOfCashfreeError(error: { status: number; code: string; message: string }): StartField | undefined {
  if (error.status !== 400 && error.status !== 409) return undefined;
  const words = `${error.code.toLowerCase()} ${error.message.toLowerCase()}`;
  if (error.status === 409) return /verification/.test(words) ? 'verification_id' : undefined;
  for (const [pattern, field] of FIELD_WORDS) {
    if (pattern.test(error.code.toLowerCase()) || pattern.test(error.message.toLowerCase())) return field;
  }
  return undefined;
}
