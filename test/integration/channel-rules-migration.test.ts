import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { openStore } from '../../src/store/store.js';
import { ruleText } from '../../src/vkyc/rules.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kyc-rules-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the channel-rules migration', () => {
  it("carries each channel's one subscription over as a rule, and marks the cards subscriptions opened", () => {
    const path = join(dir, 'kyc.sqlite');
    const mine = MIGRATIONS.findIndex((m) => m.includes('CREATE TABLE subscription_rules'));
    expect(mine).toBeGreaterThan(0);
    const db = new Database(path);
    for (const migration of MIGRATIONS.slice(0, mine)) db.exec(migration);
    db.pragma(`user_version = ${mine}`);
    const subscribe = db.prepare('INSERT INTO subscriptions (channel_id, team_id, filter, subscribed_by, subscribed_at) VALUES (?, ?, ?, ?, ?)');
    subscribe.run('C0ALL', 'T1', 'all', 'U0ANN', 1_000);
    subscribe.run('C0FAIL', null, 'failures', 'U0BEN', 2_000);
    db.prepare("INSERT INTO verifications (verification_id, status, sub_status, observed_at) VALUES ('vk_1', 'RECEIVED', 'LINK_GENERATED', 1)").run();
    const tracking = db.prepare("INSERT INTO trackings (verification_id, channel_id, tracked_by, tracked_at) VALUES ('vk_1', ?, ?, 5)");
    tracking.run('C0ALL', 'U0ANN');
    tracking.run('C0KYC', 'U0CARL');
    db.prepare("INSERT INTO audit (at, actor, channel_id, action, subject, detail) VALUES (5, 'U0ANN', 'C0ALL', 'tracking_started', 'vk_1', 'subscription')").run();
    db.close();

    const store = openStore(path);
    try {
      const rules = store.channels.allRules();
      expect([...rules.keys()]).toEqual(['C0ALL', 'C0FAIL']);
      expect(rules.get('C0ALL')?.map((r) => ({ text: ruleText(r.rule), by: r.setBy, at: r.setAt, team: r.teamId }))).toEqual([
        { text: '', by: 'U0ANN', at: 1_000, team: 'T1' },
      ]);
      expect(rules.get('C0FAIL')?.map((r) => ruleText(r.rule))).toEqual(['failures']);
      // The subscriber who "tracked" vk_1 in C0ALL is not someone who tracked it; Carl is.
      expect(store.channels.ruleFacts('vk_1')).toEqual({ templates: [], people: ['U0CARL'] });
    } finally {
      store.close();
    }
  });
});
