import { existsSync } from 'node:fs';
import { z } from 'zod';
import { parseDuration, parseSlaLimits, type SlaPolicy } from './vkyc/sla.js';

/** A configuration problem, worded as the one line an operator sees before the process exits. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const CASHFREE_BASE_URLS = {
  sandbox: 'https://sandbox.cashfree.com/verification',
  production: 'https://api.cashfree.com/verification',
} as const;

const NOTIFICATION_TYPES = ['sms', 'whatsapp', 'email'] as const;

const DEFAULT_TERMINAL_STATUSES = 'REJECTED,EXPIRED,FAILED,APPROVED,AUDITOR_APPROVED,AUDITOR_REJECTED,AUDITOR_REVIEWED';

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const commaList = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  );

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const TIMINGS_ERROR = 'must be a JSON object of positive whole milliseconds, such as {"budgetWindowMs":5000} (test-only)';
const positiveMs = z.number({ error: TIMINGS_ERROR }).int(TIMINGS_ERROR).positive(TIMINGS_ERROR);

/**
 * Test-only: shorter windows, so that tests of the real bot, child processes included, need not wait
 * real minutes. Each one left out keeps its production value; production leaves KYC_TEST_TIMINGS unset.
 */
const testTimingsSchema = z.strictObject(
  {
    /** The request budget's window (60 s): CASHFREE_MAX_RPM requests at most in any window this long. */
    budgetWindowMs: positiveMs.optional(),
    /** How long the poll lease outlives its holder's last renewal (6 s). */
    leaseTtlMs: positiveMs.optional(),
    /** How often the lease is renewed, or looked at by a process that does not hold it (2 s). */
    leaseRenewMs: positiveMs.optional(),
    /** Socket Mode: how long the client waits for a pong, and before its first reconnection attempt (Bolt's 5 s). */
    socketPingTimeoutMs: positiveMs.optional(),
  },
  { error: TIMINGS_ERROR },
);

export type TestTimings = z.infer<typeof testTimingsSchema>;

const jsonText = z.string().transform((text, ctx): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: TIMINGS_ERROR });
    return z.NEVER;
  }
});

const envSchema = z.object({
  SLACK_BOT_TOKEN: z
    .string({ error: 'is required: the bot token (xoxb-…)' })
    .trim()
    .refine((value) => !value.startsWith('xapp-'), 'holds an app-level token (xapp-…); it needs the bot token (xoxb-…)')
    .refine((value) => value.startsWith('xoxb-'), 'must be a bot token starting with xoxb-'),
  SLACK_APP_TOKEN: optionalText.pipe(
    z
      .string()
      .refine((value) => !value.startsWith('xox'), 'holds a bot or user token; it needs the app-level token (xapp-…)')
      .refine((value) => value.startsWith('xapp-'), 'must be an app-level token starting with xapp-')
      .optional(),
  ),
  SLACK_SIGNING_SECRET: optionalText,
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  SLACK_API_URL: optionalText.pipe(z.url({ error: 'must be a URL such as https://slack.com/api/' }).optional()),
  CASHFREE_CLIENT_ID: z.string({ error: 'is required: the Cashfree client id' }).trim().min(1, 'is required: the Cashfree client id'),
  CASHFREE_CLIENT_SECRET: z
    .string({ error: 'is required: the Cashfree client secret' })
    .trim()
    .min(1, 'is required: the Cashfree client secret'),
  CASHFREE_ENV: z.enum(['sandbox', 'production'], { error: 'must be sandbox or production' }).default('sandbox'),
  CASHFREE_BASE_URL: optionalText.pipe(z.url({ error: 'must be a URL' }).optional()),
  CASHFREE_API_VERSION: z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2024-12-01')
    .default('2024-12-01'),
  CASHFREE_PUBLIC_KEY_PATH: optionalText,
  CASHFREE_TIMEOUT_MS: positiveInt(10_000),
  CASHFREE_MAX_RPM: positiveInt(90),
  KYC_DEFAULT_TEMPLATE: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{1,100}$/, 'must be a template name (letters, digits, dot, underscore, hyphen)')
    .default('Aadhaar_verification'),
  KYC_ALLOWED_USERS: commaList,
  KYC_ALLOWED_CHANNELS: commaList,
  DATABASE_PATH: z.string().trim().min(1).default('data/kyc.sqlite'),
  // Every second: each tick takes what the request budget frees in that second, so the minute's budget is spent evenly.
  POLL_SCHEDULE: z.string().trim().min(1).default('* * * * * *'),
  POLL_CONCURRENCY: positiveInt(4),
  POLL_BACKOFF_SECONDS: positiveInt(15),
  // The lowest chance of news worth a status request: below it a verification waits (at most 5 minutes).
  POLL_MIN_CHANCE: z.coerce.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1').default(0.001),
  VKYC_TERMINAL_STATUSES: z
    .string()
    .default(DEFAULT_TERMINAL_STATUSES)
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim().toUpperCase())
        .filter((item) => item !== ''),
    ),
  VKYC_USER_TEMPLATE: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{1,100}$/, 'must be a template name (letters, digits, dot, underscore, hyphen)')
    .default('vkyc_user_template_v1'),
  VKYC_AGENT_TEMPLATE: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{1,100}$/, 'must be a template name (letters, digits, dot, underscore, hyphen)')
    .default('vkyc_agent_template_v1'),
  VKYC_NOTIFY: z
    .string()
    .default('sms')
    .transform((value) => value.split(',').map((item) => item.trim().toLowerCase()).filter((item) => item !== ''))
    .pipe(z.array(z.enum(NOTIFICATION_TYPES, { error: 'must list sms, whatsapp or email, separated by commas' })).min(1, 'must name at least one of sms, whatsapp, email')),
  DATA_RETENTION_DAYS: positiveInt(90),
  KYC_STUCK_AFTER_SECONDS: z.coerce
    .number({ error: 'must be a whole number of seconds, such as 1800' })
    .int('must be a whole number of seconds, such as 1800')
    .positive('must be a whole number of seconds, such as 1800')
    .default(1800),
  KYC_DIGEST_SCHEDULE: z.string().trim().min(1).default('30 9 * * 1-5'),
  KYC_REPORT_SCHEDULE: z.string().trim().min(1).default('0 9 * * 1'),
  KYC_SLA: z.string().default(''),
  KYC_SLA_ESCALATE_AFTER: optionalText,
  KYC_TIMEZONE: z
    .string()
    .trim()
    .refine(isTimeZone, 'must be an IANA time zone such as Asia/Kolkata')
    .default('Asia/Kolkata'),
  // The secret behind /kyc find's keyed phone hashes and bulk starts' encrypted rows; never stored, never logged.
  KYC_PHONE_KEY: optionalText.pipe(
    z.string().min(32, 'must be at least 32 characters (for example the output of `openssl rand -hex 32`)').optional(),
  ),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error'], { error: 'must be debug, info, warn or error' }).default('info'),
  KYC_TEST_TIMINGS: optionalText.pipe(
    jsonText.pipe(testTimingsSchema).optional(),
  ),
});

export interface Config {
  slack: {
    botToken: string;
    appToken: string | undefined;
    signingSecret: string | undefined;
    port: number;
    apiUrl: string | undefined;
  };
  cashfree: {
    clientId: string;
    clientSecret: string;
    baseUrl: string;
    apiVersion: string;
    publicKeyPath: string | undefined;
    timeoutMs: number;
    maxRequestsPerMinute: number;
  };
  kyc: {
    defaultTemplate: string;
    allowedUsers: string[];
    allowedChannels: string[];
    terminalStatuses: string[];
  };
  /** Defaults of the `/kyc vkyc` modal. */
  vkyc: {
    userTemplate: string;
    agentTemplate: string;
    notify: Array<(typeof NOTIFICATION_TYPES)[number]>;
  };
  databasePath: string;
  poll: { schedule: string; concurrency: number; backoffBaseMs: number; minChance: number };
  retentionDays: number;
  /** Stuck alerts and the daily digest. */
  alerts: { stuckAfterMs: number; digestSchedule: string; timeZone: string };
  /** Service levels per turnaround stage (KYC_SLA, KYC_SLA_ESCALATE_AFTER); no limits: no SLA checks. */
  sla: SlaPolicy;
  /** The weekly turnaround report, read in `alerts.timeZone`. */
  reports: { schedule: string };
  /** KYC_PHONE_KEY: unset turns off `/kyc find` and bulk starts. */
  phoneKey: string | undefined;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Empty in production: see KYC_TEST_TIMINGS. */
  testTimings: TestTimings;
}

/** Values that must never appear in logs or Slack; the logger redacts them. */
export function secretsOf(config: Config): string[] {
  return [config.slack.botToken, config.slack.appToken, config.slack.signingSecret, config.cashfree.clientSecret, config.phoneKey].filter(
    (value): value is string => value !== undefined && value.length >= 6,
  );
}

export function parseConfig(env: NodeJS.ProcessEnv, validateSchedule: (expression: string) => boolean): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'configuration');
    throw new ConfigError(`${name} ${issue?.message ?? 'is invalid'}`);
  }
  const e = parsed.data;
  if (e.SLACK_APP_TOKEN === undefined && e.SLACK_SIGNING_SECRET === undefined) {
    throw new ConfigError('SLACK_SIGNING_SECRET is required in HTTP mode (set it, or set SLACK_APP_TOKEN for Socket Mode)');
  }
  const baseUrl = (e.CASHFREE_BASE_URL ?? CASHFREE_BASE_URLS[e.CASHFREE_ENV]).replace(/\/+$/, '');
  if (e.CASHFREE_ENV === 'production' && !baseUrl.startsWith('https://')) {
    throw new ConfigError('CASHFREE_BASE_URL must use https:// when CASHFREE_ENV is production');
  }
  if (e.CASHFREE_PUBLIC_KEY_PATH !== undefined && !existsSync(e.CASHFREE_PUBLIC_KEY_PATH)) {
    throw new ConfigError(`CASHFREE_PUBLIC_KEY_PATH points to a file that does not exist: ${e.CASHFREE_PUBLIC_KEY_PATH}`);
  }
  if (!validateSchedule(e.POLL_SCHEDULE)) {
    throw new ConfigError(`POLL_SCHEDULE must be a cron expression with five or six fields, got "${e.POLL_SCHEDULE}"`);
  }
  if (!validateSchedule(e.KYC_DIGEST_SCHEDULE)) {
    throw new ConfigError(`KYC_DIGEST_SCHEDULE must be a cron expression with five or six fields, got "${e.KYC_DIGEST_SCHEDULE}"`);
  }
  if (!validateSchedule(e.KYC_REPORT_SCHEDULE)) {
    throw new ConfigError(`KYC_REPORT_SCHEDULE must be a cron expression with five or six fields, got "${e.KYC_REPORT_SCHEDULE}"`);
  }
  const sla = parseSlaLimits(e.KYC_SLA);
  if ('error' in sla) throw new ConfigError(`KYC_SLA ${sla.error}`);
  const escalateAfterMs = e.KYC_SLA_ESCALATE_AFTER === undefined ? undefined : parseDuration(e.KYC_SLA_ESCALATE_AFTER);
  if (e.KYC_SLA_ESCALATE_AFTER !== undefined && escalateAfterMs === undefined) {
    throw new ConfigError(`KYC_SLA_ESCALATE_AFTER must be a whole number with s, m, h or d, such as 30m, got "${e.KYC_SLA_ESCALATE_AFTER}"`);
  }
  return {
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      appToken: e.SLACK_APP_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      port: e.PORT,
      apiUrl: e.SLACK_API_URL,
    },
    cashfree: {
      clientId: e.CASHFREE_CLIENT_ID,
      clientSecret: e.CASHFREE_CLIENT_SECRET,
      baseUrl,
      apiVersion: e.CASHFREE_API_VERSION,
      publicKeyPath: e.CASHFREE_PUBLIC_KEY_PATH,
      timeoutMs: e.CASHFREE_TIMEOUT_MS,
      maxRequestsPerMinute: e.CASHFREE_MAX_RPM,
    },
    kyc: {
      defaultTemplate: e.KYC_DEFAULT_TEMPLATE,
      allowedUsers: e.KYC_ALLOWED_USERS,
      allowedChannels: e.KYC_ALLOWED_CHANNELS,
      terminalStatuses: e.VKYC_TERMINAL_STATUSES,
    },
    vkyc: { userTemplate: e.VKYC_USER_TEMPLATE, agentTemplate: e.VKYC_AGENT_TEMPLATE, notify: [...new Set(e.VKYC_NOTIFY)] },
    databasePath: e.DATABASE_PATH,
    poll: { schedule: e.POLL_SCHEDULE, concurrency: e.POLL_CONCURRENCY, backoffBaseMs: e.POLL_BACKOFF_SECONDS * 1000, minChance: e.POLL_MIN_CHANCE },
    retentionDays: e.DATA_RETENTION_DAYS,
    alerts: { stuckAfterMs: e.KYC_STUCK_AFTER_SECONDS * 1000, digestSchedule: e.KYC_DIGEST_SCHEDULE, timeZone: e.KYC_TIMEZONE },
    sla: { limits: sla.limits, escalateAfterMs },
    reports: { schedule: e.KYC_REPORT_SCHEDULE },
    phoneKey: e.KYC_PHONE_KEY,
    logLevel: e.LOG_LEVEL,
    testTimings: e.KYC_TEST_TIMINGS ?? {},
  };
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return value !== '';
  } catch {
    return false;
  }
}

/** Loads `.env` from the working directory when present; variables already set win. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
