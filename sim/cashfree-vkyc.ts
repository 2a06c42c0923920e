import { validationError, type CashfreeError } from './cashfree-errors.js';
import type { VerificationStore, VkycStatusBody } from './cashfree-verifications.js';

export type VkycAnswer = { status: 200; body: VkycStatusBody } | CashfreeError;

/** GET /vkyc after authentication: x-api-version, then one of verification_id / reference_id. */
export function answerVkycStatus(
  headers: Record<string, string | undefined>,
  query: Record<string, string>,
  store: VerificationStore,
): VkycAnswer {
  if (!headers['x-api-version']) {
    return validationError(400, 'x-api-version_missing', 'x-api-version is missing in the request.');
  }
  const verificationId = query['verification_id'];
  const referenceId = query['reference_id'];
  if (verificationId) {
    const found = store.find({ verificationId });
    if (!found) return validationError(404, 'verification_id_not_found', 'Verification ID does not exist');
    return { status: 200, body: store.poll(found) };
  }
  if (referenceId) {
    const found = /^\d+$/.test(referenceId) ? store.find({ referenceId: Number(referenceId) }) : undefined;
    if (!found) return validationError(404, 'reference_id_not_found', 'Reference ID does not exist');
    return { status: 200, body: store.poll(found) };
  }
  return validationError(400, 'verification_id_missing', 'verification_id is missing in the request.');
}
