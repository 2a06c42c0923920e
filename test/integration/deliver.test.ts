import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSlackSim, type SlackSim } from '../../sim/slack.js';
import { createLogger } from '../../src/log.js';
import { openStore, type Store } from '../../src/store/store.js';
import { deliverPending, type DeliveryDeps } from '../../src/tracking/deliver.js';
import { createSlackPacer } from '../../src/tracking/pacing.js';
import type { VkycState } from '../../src/vkyc/types.js';

/** Delivery against the real store and the Slack simulator, with the store failing where a test says. */
const TOKEN = 'xoxb-deliver-test-token';
let dir: string;
let store: Store;
let slack: SlackSim;
let logs: string[];

const state = (status: string, subStatus: string): VkycState => ({
  verificationId: 'vk_doubt', referenceId: undefined, userId: undefined, status, subStatus, linkExpiry: undefined, meetingSchedule: undefined, hasRecording: false,
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kyc-deliver-'));
  store = openStore(join(dir, 'kyc.sqlite'));
  slack = await startSlackSim({ botToken: TOKEN });
  logs = [];
});
afterEach(async () => {
  store.close();
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

function deps(over: Partial<DeliveryDeps> = {}): DeliveryDeps {
  return {
    store,
    slack: new WebClient(TOKEN, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } }),
    slackPacer: createSlackPacer(),
    logger: createLogger({ level: 'debug', write: (line) => logs.push(line) }),
    now: Date.now,
    backoff: { baseMs: 1_000, maxMs: 60_000 },
    ...over,
  };
}

describe('a reply Slack accepted but the store could not record', () => {
  it('fails loudly, keeps the doubt mark, and the retry finds the reply instead of posting it twice', async () => {
    const client = deps().slack;
    const parent = await client.chat.postMessage({ channel: 'C0KYC', text: 'Video KYC vk_doubt' });
    store.recordObservation({ state: state('RECEIVED', 'LINK_GENERATED'), nowMs: Date.now(), finalReason: undefined });
    const claim = store.startTracking({ verificationId: 'vk_doubt', teamId: 'T', channelId: 'C0KYC', trackedBy: 'U', nowMs: Date.now() });
    if (!claim.created) throw new Error('not created');
    store.setParent(claim.id, parent.ts ?? '', undefined);
    store.recordObservation({ state: state('PRE_VIDEO_CALL', 'AADHAAR_VERIFICATION_SUCCESS'), nowMs: Date.now(), finalReason: undefined });
    const pending = () => store.pendingDeliveriesFor('vk_doubt').filter((d) => d.change.sub_status === 'AADHAAR_VERIFICATION_SUCCESS');

    // The database refuses the write that records the post (busy, disk full).
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    const failing = { ...store, markPosted: () => { throw busy; } };
    await expect(deliverPending(deps({ store: failing }), pending())).rejects.toThrow('database is locked');
    expect(slack.thread('C0KYC', parent.ts ?? '')).toHaveLength(1);
    const [left] = pending();
    expect(left?.sending_since).not.toBeNull();

    const stats = await deliverPending(deps(), pending());
    expect(stats).toEqual({ posted: 1, failed: 0 });
    // Still one reply: found in the thread by its metadata, recorded, not posted again.
    expect(slack.thread('C0KYC', parent.ts ?? '')).toHaveLength(1);
    expect(pending()).toEqual([]);
  });
});
