export interface CashfreeErrorBody {
  type: string;
  code: string;
  message: string;
  /** Extra detail, e.g. `{ ref_id: 102 }` (cashfree-api.md §8). */
  error?: Record<string, unknown>;
}

export interface CashfreeError {
  status: number;
  body: CashfreeErrorBody;
}

/** How the simulator misbehaves for one response. */
export type CashfreeFault =
  | { kind: 'error'; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'html'; status?: number }
  | { kind: 'truncated' }
  | { kind: 'hang' }
  | { kind: 'close' }
  | { kind: 'delay'; ms: number };

function documented(status: number, type: string, code: string, message: string): CashfreeError {
  return { status, body: { type, code, message } };
}

/** Every error Cashfree documents for POST /form/static-link (cashfree-api.md §2.1, §8), messages verbatim. */
export const DOCUMENTED_ERRORS = {
  template_name_missing: documented(400, 'validation_error', 'template_name_missing', 'template_name is missing in the request.'),
  template_name_value_invalid: documented(
    400,
    'validation_error',
    'template_name_value_invalid',
    'template_name should only contains alphanumeric, dot, underscore and hyphen.',
  ),
  authentication_failed: documented(401, 'authentication_error', 'authentication_failed', 'Invalid clientId and clientSecret combination'),
  ip_validation_failed: documented(
    403,
    'authentication_error',
    'ip_validation_failed',
    'IP not whitelisted your current ip is 203.0.113.7.For IP whitelisting assistance, visit our guide at https://www.cashfree.com/docs/secure-id/get-started/integration/ip-whitelisting-verification',
  ),
  signature_missing: documented(403, 'validation_error', 'authentication_failed', 'x-cf-signature missing in the request header'),
  template_name_not_found: documented(404, 'validation_error', 'template_name_not_found', 'template_name does not exist'),
  insufficient_balance: documented(422, 'validation_error', 'insufficient_balance', 'Insufficient balance to process this request'),
  too_many_requests_per_operation: documented(
    429,
    'rate_limit_error',
    'too_many_requests_per_operation',
    'Too many requests for this operation, rate limit reached',
  ),
  too_many_requests_per_ip: documented(429, 'rate_limit_error', 'too_many_requests_per_ip', 'Too many requests from the IP, rate limit reached'),
  request_failed: documented(500, 'internal_error', 'request_failed', 'Unable to process your request. Try again after some time'),
} as const satisfies Record<string, CashfreeError>;

export type DocumentedErrorKey = keyof typeof DOCUMENTED_ERRORS;

export function documentedFault(key: DocumentedErrorKey, headers?: Record<string, string>): CashfreeFault {
  const { status, body } = DOCUMENTED_ERRORS[key];
  return headers ? { kind: 'error', status, body, headers } : { kind: 'error', status, body };
}

/** An error the simulator answers for /vkyc; Cashfree documents no /vkyc error examples, so these follow the /form style. */
export function validationError(status: number, code: string, message: string): CashfreeError {
  return documented(status, 'validation_error', code, message);
}
