export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/**
 * Keys whose values are never logged, whatever they hold: secrets, and the customer's personal data
 * (phone, name, email and their Video KYC link, as Cashfree's request and response bodies name them), and the
 * agent's and auditor's free-text remarks.
 */
const SECRET_KEY =
  /(secret|token|signature|password|authorization|recording_link|recordingLink|^x-cf-|phone|mobile|email|^name$|customer_?name|vkyc_?link|initial_comment|remarks)/i;

/** Shapes of secrets and personal data that may hide inside free text (error messages, URLs). */
const SECRET_PATTERNS: RegExp[] = [
  // An Indian mobile number, with or without +91/91/0, spaces or a dash; not a run inside a longer number or id.
  /(?<![\dA-Za-z.])(?:\+?91[\s-]?|0)?[6-9]\d{4}[\s-]?\d{5}(?![\dA-Za-z])/g,
  /[^\s@"'<>:;,()[\]]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
  /xox[abprse]-[A-Za-z0-9-]+/g,
  /xapp-[A-Za-z0-9-]+/g,
  /https?:\/\/[^\s"']*X-Amz-[^\s"']*/gi,
  /v0=[a-f0-9]{64}/g,
];

export const REDACTED = '[redacted]';

export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(REDACTED);
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, REDACTED);
  return out;
}

/** Copies a value for logging with secrets removed; errors become their name, message and code. */
export function redact(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 5) return '[nested]';
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return {
      name: value.name,
      message: redactText(value.message, secrets),
      ...(code === undefined ? {} : { code: redact(code, secrets, depth + 1) }),
    };
  }
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => redact(item, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? REDACTED : redact(item, secrets, depth + 1);
  }
  return out;
}

export interface LoggerOptions {
  level: LogLevel;
  secrets?: readonly string[];
  write?: (line: string) => void;
  now?: () => Date;
}

/** One JSON object per line: {time, level, msg, ...fields}, passed through redaction. */
export function createLogger(options: LoggerOptions): Logger {
  const secrets = [...(options.secrets ?? [])];
  const write = options.write ?? ((line: string) => process.stdout.write(line + '\n'));
  const now = options.now ?? (() => new Date());
  const threshold = LEVELS[options.level];
  const emit = (level: LogLevel) => (msg: string, fields?: LogFields) => {
    if (LEVELS[level] < threshold) return;
    const record = redact({ ...fields }, secrets) as LogFields;
    write(JSON.stringify({ time: now().toISOString(), level, msg: redactText(msg, secrets), ...record }));
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}
