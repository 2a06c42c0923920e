import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CashfreeClient } from '../../src/cashfree/client.js';
import { CashfreeError, type VkycState } from '../../src/cashfree/schemas.js';
import { createRequestBudget, type RequestBudget } from '../../src/tracking/budget.js';
import { createSlackPacer } from '../../src/tracking/pacing.js';
import { runTick, type PollerDeps } from '../../src/jobs/poller.js';
import { createLogger } from '../../src/log.js';
import { createPlanner } from '../../src/jobs/planner.js';
import { DEFAULT_POLL_POLICY, UNREADABLE_RESPONSE } from '../../src/vkyc/schedule.js';
import { PRIOR_ONLY_MODEL } from '../../src/vkyc/dwell.js';
import { openStore, type Store } from '../../src/store/store.js';

/**
 * runTick against the real store and budget, with Cashfree stubbed in process
 * and a clock that moves only when the test says. No thread has a parent
 * message here, so nothing is posted to Slack.
 */
const T0 = Date.parse('2026-11-22T10:00:00Z');
const clock = { now: T0 };
let dir: string;
let store: Store;
let calls: string[];
let answer: (verificationId: string) => VkycState | CashfreeError;
let logs: string[];

const state = (verificationId: string, status = 'PRE_VIDEO_CALL', subStatus = 'USER_QUEUED'): VkycState => ({
  verificationId, referenceId: undefined, userId: undefined, status, subStatus, linkExpiry: undefined, meetingSchedule: undefined, hasRecording: false,
});
const serverError = () => new CashfreeError(500, 'internal_error', 'request_failed', 'retry later');

const cashfree: CashfreeClient = {
  generateStaticLink: () => Promise.reject(new Error('not used')),
  createVkycUser: () => Promise.reject(new Error('not used')),
  initiateVkyc: () => Promise.reject(new Error('not used')),
  async getVkycStatus(lookup) {
    const id = 'verificationId' in lookup ? lookup.verificationId : lookup.referenceId;
    calls.push(id);
    const result = answer(id);
    if (result instanceof CashfreeError) throw result;
    return result;
  },
  close: () => Promise.resolve(),
};

function pollerDeps(options: { concurrency?: number; budget?: RequestBudget } = {}): PollerDeps {
  return {
    store,
    // Never called: no tracking here has a parent message, so nothing is delivered.
    slack: new WebClient('xoxb-unused', { slackApiUrl: 'http://127.0.0.1:9/api/' }),
    slackPacer: createSlackPacer(),
    logger: createLogger({ level: 'debug', write: (line) => logs.push(line) }),
    now: () => clock.now,
    cashfree,
    // The clock stands still within a tick, so the budget must never make a poll wait.
    budget: options.budget ?? createRequestBudget({ max: 1_000_000, burst: 1_000, now: () => clock.now, db: store.db }),
    concurrency: options.concurrency ?? 1,
    terminalStatuses: ['REJECTED', 'AUDITOR_REVIEWED'],
    backoff: { baseMs: 15_000, maxMs: 15 * 60_000 },
    tickMaxMs: 1_000,
  };
}

/** Tracks a verification in a channel as `/kyc track` leaves it, first observed at `at`. */
function track(id: string, at: number, status = 'PRE_VIDEO_CALL', subStatus = 'USER_QUEUED'): void {
  store.recordObservation({ state: state(id, status, subStatus), nowMs: at, finalReason: undefined });
  store.startTracking({ verificationId: id, teamId: 'T', channelId: 'C1', trackedBy: 'U', nowMs: at });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kyc-poller-'));
  store = openStore(join(dir, 'kyc.sqlite'));
  clock.now = T0;
  calls = [];
  logs = [];
  // Cashfree answers what the store last saw: nothing changes unless a test says so.
  answer = (id) => {
    const row = store.verification(id);
    return state(id, row?.status, row?.sub_status);
  };
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('poll priorities', () => {
  it('polls urgent verifications first, then the least recently scheduled, each once per tick, and cold ones only with requests to spare', async () => {
    track('vk_cold', T0 - 3 * 60 * 60_000, 'RECEIVED', 'LINK_GENERATED');
    clock.now = T0 - 60_000;
    // A budget that binds: a link that has waited three hours waits its turn; customers in the queue do not.
    const deps = { ...pollerDeps(), planner: createPlanner({ store, requestsPerMinute: 1_000_000, policy: { ...DEFAULT_POLL_POLICY, thresholdFloor: 0.05 } }) };
    await runTick(deps);
    expect(calls).toEqual(['vk_cold']);
    track('vk_hot_b', T0 - 2_000);
    track('vk_hot_a', T0 - 3_000);
    track('vk_asked', T0 - 1_000);
    store.markUrgent('vk_asked');
    calls = [];
    clock.now = T0;
    const stats = await runTick(deps);
    // The link waiting for hours is not due: it is polled last, with a request nothing due needed.
    expect(calls).toEqual(['vk_asked', 'vk_hot_a', 'vk_hot_b', 'vk_cold']);
    expect(stats).toMatchObject({ polled: 4, failed: 0, deferred: false, breaker: 'closed', probes: 0 });
    expect(store.verification('vk_asked')?.urgent).toBe(0);
    expect(store.verification('vk_cold')?.next_poll_at).toBeGreaterThan(T0 + 5_000);
    // Customers in the queue are due again within seconds, and go first again.
    calls = [];
    clock.now = T0 + 5_000;
    await runTick(deps);
    expect(calls.slice(0, 3).sort()).toEqual(['vk_asked', 'vk_hot_a', 'vk_hot_b']);
    expect(calls.slice(3)).toEqual(['vk_cold']);
  });

  it('stops at the budget and leaves the rest due for the next tick, in the same order', async () => {
    for (const id of ['vk_1', 'vk_2', 'vk_3', 'vk_4']) track(id, T0 - 10_000 + Number(id.slice(3)));
    // 60 a minute with a burst of 3: background polls take 2 and leave 1 for agents; the next is a second away.
    const budget = createRequestBudget({ max: 60, now: () => clock.now, db: store.db });
    const stats = await runTick(pollerDeps({ budget }));
    expect(stats).toMatchObject({ polled: 2, deferred: true });
    expect(calls).toEqual(['vk_1', 'vk_2']);
    expect(store.verification('vk_3')).toMatchObject({ next_poll_at: T0 - 10_000 + 3, in_flight: 0 });
    expect(budget.tryTake(undefined, 'interactive')).toBe(0);
  });
});

describe('requests the budget would otherwise lose', () => {
  const setup = () => {
    // Planned as a busy board plans: a link waiting for its customer is next due minutes after its poll.
    store.setPollPlan({ model: PRIOR_ONLY_MODEL, threshold: 0.5 });
    const polled = (id: string, at: number, status?: string, subStatus?: string) => {
      track(id, at, status, subStatus);
      store.recordObservation({ state: state(id, status, subStatus), nowMs: at, finalReason: undefined });
    };
    polled('vk_due', T0 - 10 * 60_000);
    polled('vk_later', T0 - 2_000, 'RECEIVED', 'LINK_GENERATED');
    polled('vk_latest', T0 - 1_000, 'RECEIVED', 'LINK_GENERATED');
    clock.now = T0;
  };
  const nextPoll = (id: string) => store.verification(id)?.next_poll_at ?? Number.NaN;

  it('spends them on the verifications due next, earliest first, each once a tick, when the budget binds', async () => {
    setup();
    // 60 requests a minute for three customers who move every few seconds: the budget binds.
    const deps = { ...pollerDeps(), planner: createPlanner({ store, requestsPerMinute: 60 }) };
    const ahead = ['vk_later', 'vk_latest'].sort((a, b) => nextPoll(a) - nextPoll(b));
    expect(nextPoll(ahead[0] ?? '')).toBeGreaterThan(T0);
    const stats = await runTick(deps);
    expect(calls).toEqual(['vk_due', ...ahead]);
    expect(stats).toMatchObject({ polled: 3, failed: 0 });
  });

  it('never spends them on a verification backing off, one webhooks report on, or one already tried this tick', async () => {
    setup();
    const deps = pollerDeps();
    // vk_later's last check failed for itself (it backs off); webhooks report on vk_latest.
    store.pollFailed('vk_later', { error: 'verification_not_found: no such id', nextPollAt: T0 + 60_000, countsAsAttempt: true });
    store.push.markPushed('vk_latest', T0 - 500);
    await runTick(deps);
    expect(calls).toEqual(['vk_due']);
    // A systemic failure leaves vk_due due at once: it is tried again next tick, not again and again in this one.
    calls = [];
    answer = () => {
      // The failure takes a moment: the retry it asks for comes after the tick started.
      clock.now += 10;
      return serverError();
    };
    clock.now = T0 + 1_000;
    await runTick(deps);
    expect(calls).toEqual(['vk_due']);
  });

  it('leaves an agent\'s request first: one made meanwhile is polled before the next one ahead', async () => {
    setup();
    store.recordObservation({ state: state('vk_last', 'RECEIVED', 'LINK_GENERATED'), nowMs: T0 - 500, finalReason: undefined });
    store.startTracking({ verificationId: 'vk_last', teamId: 'T', channelId: 'C1', trackedBy: 'U', nowMs: T0 - 500 });
    store.recordObservation({ state: state('vk_last', 'RECEIVED', 'LINK_GENERATED'), nowMs: T0 - 500, finalReason: undefined });
    const ahead = ['vk_later', 'vk_latest', 'vk_last'].sort((a, b) => nextPoll(a) - nextPoll(b));
    const deps = { ...pollerDeps(), planner: createPlanner({ store, requestsPerMinute: 60 }) };
    const asked = ahead[2] ?? '';
    answer = (id) => {
      // An agent asks about the one due last while the tick works ahead.
      if (calls.length === 2) store.markUrgent(asked);
      const row = store.verification(id);
      return state(id, row?.status, row?.sub_status);
    };
    await runTick(deps);
    expect(calls).toEqual(['vk_due', ahead[0], asked, ahead[1]]);
  });
});

describe('failures', () => {
  it('backs off a verification Cashfree says it does not know, without opening the breaker', async () => {
    for (const id of ['vk_1', 'vk_2', 'vk_3', 'vk_4']) track(id, T0 - 10_000);
    answer = () => new CashfreeError(404, 'not_found_error', 'verification_id_not_found', 'no such verification');
    const stats = await runTick(pollerDeps());
    expect(stats).toMatchObject({ polled: 4, failed: 4, breaker: 'closed', breakerFailing: 0 });
    const row = store.verification('vk_1');
    expect(row?.attempts).toBe(1);
    expect(row?.next_poll_at).toBeGreaterThanOrEqual(T0 + 0.75 * 15_000);
  });

  it('keeps a verification due after a server error: no backoff for failures that are not about it', async () => {
    track('vk_1', T0 - 10_000);
    track('vk_2', T0 - 5_000);
    answer = (id) => (id === 'vk_1' ? serverError() : state(id));
    const stats = await runTick(pollerDeps());
    expect(stats).toMatchObject({ polled: 2, failed: 1, breaker: 'closed' });
    expect(store.verification('vk_1')).toMatchObject({ attempts: 0, next_poll_at: T0, last_error: 'request_failed: retry later' });
  });

  it('pauses the shared budget on 429 and keeps the verification due', async () => {
    track('vk_1', T0 - 10_000);
    answer = () => new CashfreeError(429, 'rate_limit_error', 'too_many_requests_per_ip', 'slow down', 7_000);
    const deps = pollerDeps();
    const stats = await runTick(deps);
    expect(stats).toMatchObject({ failed: 1, breaker: 'closed' });
    expect(deps.budget.msUntilFree()).toBe(7_000);
    expect(store.verification('vk_1')).toMatchObject({ attempts: 0, next_poll_at: T0 });
  });
});

describe('circuit breaker', () => {
  it('opens after server errors on three verifications, probes once per tick, and resumes everything once Cashfree answers', async () => {
    const ids = ['vk_1', 'vk_2', 'vk_3', 'vk_4', 'vk_5'];
    for (const [i, id] of ids.entries()) track(id, T0 - 10_000 + i);
    answer = () => serverError();
    const deps = pollerDeps();

    const first = await runTick(deps);
    expect(first).toMatchObject({ polled: 3, failed: 3, deferred: true, breaker: 'open', breakerFailing: 3, breakerOpened: 1, probes: 0 });
    expect(logs.some((line) => line.includes('one probe per tick') && line.includes('"level":"warn"'))).toBe(true);

    for (let tick = 1; tick <= 3; tick += 1) {
      clock.now = T0 + tick * 1_000;
      calls = [];
      const probing = await runTick(deps);
      expect(calls).toHaveLength(1);
      expect(probing).toMatchObject({ polled: 1, probes: 1, breaker: 'open', breakerOpened: 1 });
    }
    // A failed probe is expected while open: logged at debug, not as a warning every tick.
    expect(logs.filter((line) => line.includes('status check failed') && line.includes('"level":"warn"'))).toHaveLength(3);

    answer = (id) => state(id);
    clock.now = T0 + 4_000;
    calls = [];
    const recovered = await runTick(deps);
    expect(calls).toHaveLength(1);
    expect(recovered).toMatchObject({ polled: 1, probes: 1, breaker: 'closed', breakerFailing: 0 });

    clock.now = T0 + 10_000;
    calls = [];
    const resumed = await runTick(deps);
    expect(resumed).toMatchObject({ breaker: 'closed', probes: 0 });
    // Everything that was due is polled at once: nothing was left backing off.
    expect([...calls].sort()).toEqual(ids);
    for (const id of ids) expect(store.verification(id)?.attempts).toBe(0);
  });

  it('does not count errors about one verification, and a single failing verification never opens it', async () => {
    for (const id of ['vk_1', 'vk_2', 'vk_3', 'vk_4']) track(id, T0 - 10_000);
    answer = (id) => (id === 'vk_1' ? serverError() : new CashfreeError(422, 'validation_error', 'verification_id_value_invalid', 'bad'));
    const deps = pollerDeps();
    for (let tick = 0; tick < 4; tick += 1) {
      clock.now = T0 + tick * 60 * 60_000;
      expect((await runTick(deps)).breaker).toBe('closed');
    }
  });
});

describe('what an answer that cannot be read is about', () => {
  it('counts a body that is not JSON against Cashfree (the breaker), not against the verification (no backoff)', async () => {
    const ids = ['vk_1', 'vk_2', 'vk_3', 'vk_4'];
    for (const id of ids) track(id, T0 - 10_000);
    answer = () => new CashfreeError(200, 'invalid_response', UNREADABLE_RESPONSE, 'Cashfree answered 200 with a body that is not JSON (an HTML page)');
    const stats = await runTick(pollerDeps());
    expect(stats).toMatchObject({ breaker: 'open', breakerOpened: 1 });
    for (const id of ids) expect(store.verification(id)).toMatchObject({ attempts: 0, next_poll_at: expect.any(Number) });
    expect(store.verification('vk_1')?.next_poll_at).toBeLessThanOrEqual(T0);
  });

  it('keeps JSON the schema rejects about that verification, and logs the field it rejected', async () => {
    track('vk_1', T0 - 10_000);
    answer = () => new CashfreeError(200, 'invalid_response', 'unexpected_response', 'Cashfree answered 200 with JSON the bot does not understand (field status: invalid_type)');
    const stats = await runTick(pollerDeps());
    expect(stats).toMatchObject({ breaker: 'closed', failed: 1 });
    expect(store.verification('vk_1')?.attempts).toBe(1);
    const line = logs.find((l) => l.includes('status check failed'));
    expect(line).toContain('field status');
  });
});

describe('local failures', () => {
  it('fails the tick when recording an answer fails, without feeding the breaker, and polls again next tick', async () => {
    const ids = ['vk_1', 'vk_2', 'vk_3', 'vk_4'];
    for (const id of ids) track(id, T0 - 10_000);
    const deps = pollerDeps();
    const record = store.recordObservation;
    let failures = 0;
    // The database is busy for every write of this tick.
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    const failing = Object.assign((): never => {
      failures += 1;
      throw busy;
    }, record);
    deps.store = { ...store, recordObservation: failing };
    await expect(runTick(deps)).rejects.toThrow('database is locked');
    expect(failures).toBeGreaterThan(0);
    // Nothing is left claimed, and the breaker never heard of it.
    for (const id of ids) expect(store.verification(id)).toMatchObject({ in_flight: 0, attempts: 0 });
    deps.store = { ...store, recordObservation: record };
    clock.now = T0 + 1_000;
    calls = [];
    const next = await runTick(deps);
    expect(next).toMatchObject({ breaker: 'closed', breakerFailing: 0, breakerOpened: 0, polled: 4, failed: 0 });
    expect([...calls].sort()).toEqual(ids);
  });

  it('takes back a claim a dead tick left behind once it is older than a poll could take', async () => {
    track('vk_1', T0 - 10_000);
    // A tick claimed it and died before it could give the claim back.
    expect(store.claimDue(T0, 1, { by: 'dead-poller', atMs: T0 }).map((r) => r.verification_id)).toEqual(['vk_1']);
    const deps = { ...pollerDeps(), claimStaleMs: 30_000 };
    clock.now = T0 + 10_000;
    expect((await runTick(deps)).polled).toBe(0);
    clock.now = T0 + 31_000;
    expect((await runTick(deps)).polled).toBe(1);
    expect(store.verification('vk_1')).toMatchObject({ in_flight: 0, claimed_by: 'poller' });
  });
});
