import { validationError, type CashfreeError } from './cashfree-errors.js';
import type { VerificationStore } from './cashfree-verifications.js';

/** A user created with POST /user, as the simulator keeps it. */
export interface SimUser {
  user_reference_id: number;
  user_id: string;
  phone: string;
  email: string | null;
  name: string | null;
}

export type UserAnswer = { status: 200; body: SimUser } | CashfreeError;
export type CreateVkycAnswer = { status: 200; body: Record<string, unknown> } | CashfreeError;

/** Cashfree's pattern for user and verification ids (cashfree-api.md §4.1–4.2). */
const ID_PATTERN = /^[A-Za-z0-9._-]{1,50}$/;
const PHONE_PATTERN = /^[6-9]\d{9}$/;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const NOTIFICATION_TYPES = new Set(['sms', 'whatsapp', 'email']);

function jsonObject(rawBody: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(rawBody);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? Object.fromEntries(Object.entries(parsed)) : undefined;
  } catch {
    return undefined;
  }
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * POST /user and POST /vkyc. Cashfree documents no error examples for them (§4.2, §11); the simulator answers
 * in the /form style: 400 validation_error naming the field, 409 for a verification id already used, and, as
 * an assumption the bot handles without relying on it, 409 `user_already_exists` naming the existing user
 * when a phone number is registered twice.
 */
export function createUserStore(verifications: VerificationStore) {
  const users = new Map<string, SimUser>();
  let nextUserReferenceId = 50_001;
  /** Set by a test: POST /vkyc answers 200 with REJECTED / INSUFFICIENT_BALANCE (the documented alternative to a 422). */
  let rejectForBalance = false;

  function createUser(rawBody: string): UserAnswer {
    const body = jsonObject(rawBody);
    if (body === undefined) return validationError(400, 'request_body_invalid', 'Request body is not valid JSON.');
    const phone = text(body['phone']);
    if (phone === undefined) return validationError(400, 'phone_missing', 'phone is missing in the request.');
    if (!PHONE_PATTERN.test(phone)) return validationError(400, 'phone_value_invalid', 'phone should be a valid 10 digit mobile number.');
    const email = text(body['email']);
    if (email !== undefined && !EMAIL_PATTERN.test(email)) return validationError(400, 'email_value_invalid', 'email is invalid.');
    const userId = text(body['user_id']);
    if (userId !== undefined && !ID_PATTERN.test(userId)) {
      return validationError(400, 'user_id_value_invalid', 'user_id should only contain alphanumeric, dot, underscore and hyphen.');
    }
    const existing = [...users.values()].find((user) => user.phone === phone || user.user_id === userId);
    if (existing !== undefined) {
      return {
        status: 409,
        body: {
          type: 'validation_error',
          code: 'user_already_exists',
          message: 'User already exists',
          error: { user_id: existing.user_id, user_reference_id: existing.user_reference_id },
        },
      };
    }
    const referenceId = nextUserReferenceId++;
    const user: SimUser = { user_reference_id: referenceId, user_id: userId ?? `cf_user_${referenceId}`, phone, email: email ?? null, name: text(body['name']) ?? null };
    users.set(user.user_id, user);
    return { status: 200, body: user };
  }

  function createVkyc(rawBody: string): CreateVkycAnswer {
    const body = jsonObject(rawBody);
    if (body === undefined) return validationError(400, 'request_body_invalid', 'Request body is not valid JSON.');
    const verificationId = text(body['verification_id']);
    if (verificationId === undefined) return validationError(400, 'verification_id_missing', 'verification_id is missing in the request.');
    if (!ID_PATTERN.test(verificationId)) {
      return validationError(400, 'verification_id_value_invalid', 'verification_id should only contain alphanumeric, dot, underscore and hyphen.');
    }
    const byReference = typeof body['user_reference_id'] === 'number' ? [...users.values()].find((u) => u.user_reference_id === body['user_reference_id']) : undefined;
    const userId = text(body['user_id']);
    const user = byReference ?? (userId === undefined ? undefined : users.get(userId));
    if (user === undefined) return validationError(400, 'user_not_found', 'user_reference_id or user_id does not belong to a user.');
    for (const field of ['user_template', 'agent_template']) {
      if (text(body[field]) === undefined) return validationError(400, `${field}_missing`, `${field} is missing in the request.`);
    }
    const types = body['notification_types'];
    if (!Array.isArray(types) || types.some((t) => typeof t !== 'string' || !NOTIFICATION_TYPES.has(t))) {
      return validationError(400, 'notification_types_value_invalid', 'notification_types should be a list of sms, whatsapp, email.');
    }
    if (verifications.find({ verificationId }) !== undefined) {
      return { status: 409, body: { type: 'validation_error', code: 'verification_id_already_exists', message: 'verification_id already exists' } };
    }
    if (rejectForBalance) {
      return { status: 200, body: { verification_id: verificationId, reference_id: 0, user_reference_id: user.user_reference_id, status: 'REJECTED', sub_status: 'INSUFFICIENT_BALANCE', user_id: user.user_id } };
    }
    verifications.add({ verification_id: verificationId, user_id: user.user_id });
    const state = verifications.state(verificationId);
    return {
      status: 200,
      body: {
        verification_id: state.verification_id,
        reference_id: state.reference_id,
        user_reference_id: user.user_reference_id,
        status: state.status,
        sub_status: state.sub_status,
        vkyc_link: state.vkyc_link,
        user_id: user.user_id,
        link_expiry: state.link_expiry,
      },
    };
  }

  return {
    createUser,
    createVkyc,
    setRejectForBalance: (on: boolean) => {
      rejectForBalance = on;
    },
  };
}
