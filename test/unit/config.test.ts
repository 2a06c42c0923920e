import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';
import { isValidSchedule } from '../../src/jobs/scheduler.js';

const BASE = {
  SLACK_BOT_TOKEN: 'xoxb-1-abc',
  SLACK_SIGNING_SECRET: 'secret',
  CASHFREE_CLIENT_ID: 'id',
  CASHFREE_CLIENT_SECRET: 'cs',
};

const parse = (env: Record<string, string | undefined>) => parseConfig({ ...BASE, ...env }, isValidSchedule);
const errorOf = (env: Record<string, string | undefined>) => {
  try {
    parse(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('parseConfig', () => {
  it('applies the documented defaults', () => {
    const config = parse({});
    expect(config.slack.port).toBe(3000);
    expect(config.cashfree.baseUrl).toBe('https://sandbox.cashfree.com/verification');
    expect(config.cashfree.apiVersion).toBe('2024-12-01');
    expect(config.cashfree.maxRequestsPerMinute).toBe(90);
    expect(config.kyc.defaultTemplate).toBe('Aadhaar_verification');
    expect(config.databasePath).toBe('data/kyc.sqlite');
    expect(config.poll).toMatchObject({ schedule: '* * * * * *', concurrency: 4, minChance: 0.001 });
    expect(config.kyc.terminalStatuses).toEqual(expect.arrayContaining(['REJECTED', 'EXPIRED']));
    expect(config.retentionDays).toBe(90);
    expect(config.kyc.allowedUsers).toEqual([]);
  });

  it('selects production, or an explicit base URL', () => {
    expect(parse({ CASHFREE_ENV: 'production' }).cashfree.baseUrl).toBe('https://api.cashfree.com/verification');
    expect(parse({ CASHFREE_BASE_URL: 'http://127.0.0.1:9/verification/' }).cashfree.baseUrl).toBe('http://127.0.0.1:9/verification');
  });

  it('reads comma lists and six-field schedules', () => {
    const config = parse({ KYC_ALLOWED_USERS: ' U1, U2 ,', POLL_SCHEDULE: '*/5 * * * * *', VKYC_TERMINAL_STATUSES: 'done, failed' });
    expect(config.kyc.allowedUsers).toEqual(['U1', 'U2']);
    expect(config.poll.schedule).toBe('*/5 * * * * *');
    expect(config.kyc.terminalStatuses).toEqual(['DONE', 'FAILED']);
  });

  it('names the variable and what it expects, in one line', () => {
    const cases: [Record<string, string | undefined>, RegExp][] = [
      [{ SLACK_BOT_TOKEN: undefined }, /^SLACK_BOT_TOKEN is required/],
      [{ SLACK_BOT_TOKEN: 'xapp-abc' }, /^SLACK_BOT_TOKEN holds an app-level token/],
      [{ SLACK_APP_TOKEN: 'xoxb-1-abc' }, /^SLACK_APP_TOKEN holds a bot or user token/],
      [{ SLACK_SIGNING_SECRET: undefined }, /^SLACK_SIGNING_SECRET is required in HTTP mode/],
      [{ CASHFREE_CLIENT_SECRET: '' }, /^CASHFREE_CLIENT_SECRET is required/],
      [{ CASHFREE_ENV: 'staging' }, /^CASHFREE_ENV must be sandbox or production/],
      [{ CASHFREE_ENV: 'production', CASHFREE_BASE_URL: 'http://api.example/verification' }, /must use https/],
      [{ PORT: 'eighty' }, /^PORT /],
      [{ POLL_CONCURRENCY: '0' }, /^POLL_CONCURRENCY /],
      [{ POLL_MIN_CHANCE: '1.5' }, /^POLL_MIN_CHANCE must be between 0 and 1/],
      [{ POLL_MIN_CHANCE: 'often' }, /^POLL_MIN_CHANCE /],
      [{ POLL_SCHEDULE: 'every minute' }, /^POLL_SCHEDULE must be a cron expression/],
      [{ KYC_DEFAULT_TEMPLATE: 'bad name' }, /^KYC_DEFAULT_TEMPLATE must be a template name/],
      [{ CASHFREE_PUBLIC_KEY_PATH: '/nonexistent/key.pem' }, /^CASHFREE_PUBLIC_KEY_PATH points to a file that does not exist/],
      [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be debug, info, warn or error/],
    ];
    for (const [env, pattern] of cases) {
      const message = errorOf(env);
      expect(message).toMatch(pattern);
      expect(message).not.toContain('\n');
    }
  });

  it('runs in Socket Mode without a signing secret', () => {
    const config = parse({ SLACK_SIGNING_SECRET: undefined, SLACK_APP_TOKEN: 'xapp-A1-abc' });
    expect(config.slack.appToken).toBe('xapp-A1-abc');
  });
});

describe('alerts and digest configuration', () => {
  it('defaults to a 30 min stuck threshold and a weekday 09:30 digest in Asia/Kolkata', () => {
    expect(parse({}).alerts).toEqual({ stuckAfterMs: 1_800_000, digestSchedule: '30 9 * * 1-5', timeZone: 'Asia/Kolkata' });
  });

  it('posts the weekly turnaround report on Monday 09:00 unless told otherwise', () => {
    expect(parse({}).reports).toEqual({ schedule: '0 9 * * 1' });
    expect(parse({ KYC_REPORT_SCHEDULE: '30 8 * * 5' }).reports).toEqual({ schedule: '30 8 * * 5' });
  });

  it('reads explicit values', () => {
    const config = parse({ KYC_STUCK_AFTER_SECONDS: '600', KYC_DIGEST_SCHEDULE: '0 18 * * *', KYC_TIMEZONE: 'Europe/Berlin' });
    expect(config.alerts).toEqual({ stuckAfterMs: 600_000, digestSchedule: '0 18 * * *', timeZone: 'Europe/Berlin' });
  });

  it('reads service levels per turnaround stage; none by default', () => {
    expect(parse({}).sla).toEqual({ limits: {}, escalateAfterMs: undefined });
    expect(parse({ KYC_SLA: 'queue=15m,review=4h', KYC_SLA_ESCALATE_AFTER: '30m' }).sla).toEqual({
      limits: { queue: 15 * 60_000, review: 4 * 3_600_000 },
      escalateAfterMs: 30 * 60_000,
    });
  });

  it('names each bad value in one line', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ KYC_STUCK_AFTER_SECONDS: 'half an hour' }, /^KYC_STUCK_AFTER_SECONDS must be a whole number of seconds/],
      [{ KYC_STUCK_AFTER_SECONDS: '0' }, /^KYC_STUCK_AFTER_SECONDS must be a whole number of seconds/],
      [{ KYC_STUCK_AFTER_SECONDS: '1.5' }, /^KYC_STUCK_AFTER_SECONDS must be a whole number of seconds/],
      [{ KYC_DIGEST_SCHEDULE: 'mornings' }, /^KYC_DIGEST_SCHEDULE must be a cron expression/],
      [{ KYC_REPORT_SCHEDULE: 'mondays' }, /^KYC_REPORT_SCHEDULE must be a cron expression/],
      [{ KYC_TIMEZONE: 'Mars/Olympus' }, /^KYC_TIMEZONE must be an IANA time zone/],
      [{ KYC_SLA: 'queue=15m,lunch=1h' }, /^KYC_SLA has "lunch=1h": write stage=duration, where the stage is one of link, pre-call, queue, call, review, end-to-end$/],
      [{ KYC_SLA: 'queue=15' }, /^KYC_SLA has "queue=15": the duration must be a whole number with s, m, h or d/],
      [{ KYC_SLA_ESCALATE_AFTER: 'soon' }, /^KYC_SLA_ESCALATE_AFTER must be a whole number with s, m, h or d, such as 30m, got "soon"$/],
    ];
    for (const [env, pattern] of cases) {
      const message = errorOf(env);
      expect(message).toMatch(pattern);
      expect(message).not.toContain('\n');
    }
  });
});

describe('test-only timings', () => {
  it('are empty unless KYC_TEST_TIMINGS sets them, so production keeps every default', () => {
    expect(parse({}).testTimings).toEqual({});
    const timings = { budgetWindowMs: 5_000, leaseTtlMs: 1_500, leaseRenewMs: 500, socketPingTimeoutMs: 1_000 };
    expect(parse({ KYC_TEST_TIMINGS: JSON.stringify(timings) }).testTimings).toEqual(timings);
  });

  it('refuses anything but positive whole milliseconds under the known names, in one line', () => {
    for (const value of ['soon', '[]', '{"budgetWindowMs":0}', '{"budgetWindowMs":1.5}', '{"leaseTtlMs":"6000"}', '{"windowMs":5000}']) {
      const message = errorOf({ KYC_TEST_TIMINGS: value });
      expect(message).toMatch(/^KYC_TEST_TIMINGS must be a JSON object of positive whole milliseconds/);
      expect(message).not.toContain('\n');
    }
  });
});
