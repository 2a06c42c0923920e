import { DOCUMENTED_ERRORS, validationError, type CashfreeError } from './cashfree-errors.js';
import { shortCode } from './cashfree-verifications.js';

/** A fixed 1×1 PNG: like Cashfree's documented example, the qr_code is not a QR of static_link. */
export const SIM_QR_CODE_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

export interface StaticLinkBody {
  static_link: string;
  qr_code: string;
  status: 'ACTIVE';
  template_name: string;
}

export type StaticLinkAnswer = { status: 200; body: StaticLinkBody } | CashfreeError;

const TEMPLATE_NAME_PATTERN = /^[A-Za-z0-9._-]+$/;

export function staticLinkFor(templateName: string): string {
  return `https://forms.cashfree.com/verification/global-link/${shortCode(templateName)}`;
}

function templateNameOf(rawBody: string): unknown {
  try {
    const parsed: unknown = JSON.parse(rawBody);
    return typeof parsed === 'object' && parsed !== null && 'template_name' in parsed ? parsed.template_name : undefined;
  } catch {
    return null;
  }
}

/** POST /form/static-link after authentication: validate template_name, then answer the link. */
export function answerStaticLink(rawBody: string, templates: ReadonlySet<string>): StaticLinkAnswer {
  const templateName = templateNameOf(rawBody);
  if (templateName === null) return validationError(400, 'request_body_invalid', 'Request body is not valid JSON.');
  if (templateName === undefined || templateName === '') return DOCUMENTED_ERRORS.template_name_missing;
  if (typeof templateName !== 'string' || !TEMPLATE_NAME_PATTERN.test(templateName)) {
    return DOCUMENTED_ERRORS.template_name_value_invalid;
  }
  if (!templates.has(templateName)) return DOCUMENTED_ERRORS.template_name_not_found;
  return {
    status: 200,
    body: {
      static_link: staticLinkFor(templateName),
      qr_code: SIM_QR_CODE_PNG_BASE64,
      status: 'ACTIVE',
      template_name: templateName,
    },
  };
}
