/**
 * Schema versions, applied in order at start-up inside one transaction each.
 * Never edit a released migration: add the next one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE verifications (
    verification_id  TEXT PRIMARY KEY,
    reference_id     INTEGER,
    user_id          TEXT,
    status           TEXT NOT NULL,
    sub_status       TEXT NOT NULL,
    link_expiry      TEXT,
    meeting_schedule TEXT,
    has_recording    INTEGER NOT NULL DEFAULT 0,
    observed_at      INTEGER NOT NULL,
    next_poll_at     INTEGER,             -- NULL: no longer polled (final, or nobody tracks it)
    in_flight        INTEGER NOT NULL DEFAULT 0,
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT
  );
  CREATE INDEX verifications_due ON verifications (next_poll_at) WHERE next_poll_at IS NOT NULL;
  CREATE INDEX verifications_reference ON verifications (reference_id);

  CREATE TABLE trackings (
    id              INTEGER PRIMARY KEY,
    verification_id TEXT NOT NULL REFERENCES verifications (verification_id) ON DELETE CASCADE,
    team_id         TEXT,
    channel_id      TEXT NOT NULL,
    parent_ts       TEXT,                 -- NULL while the parent message is being posted
    permalink       TEXT,
    tracked_by      TEXT NOT NULL,
    tracked_at      INTEGER NOT NULL,
    parent_stale    INTEGER NOT NULL DEFAULT 0,
    ended_at        INTEGER,
    ended_by        TEXT,
    ended_reason    TEXT
  );
  CREATE UNIQUE INDEX trackings_active ON trackings (verification_id, channel_id) WHERE ended_at IS NULL;
  CREATE INDEX trackings_channel ON trackings (channel_id) WHERE ended_at IS NULL;
  CREATE INDEX trackings_ended ON trackings (ended_at) WHERE ended_at IS NOT NULL;
  CREATE INDEX trackings_stale ON trackings (id) WHERE parent_stale = 1;

  CREATE TABLE changes (
    id                  INTEGER PRIMARY KEY,
    verification_id     TEXT NOT NULL REFERENCES verifications (verification_id) ON DELETE CASCADE,
    status              TEXT NOT NULL,
    sub_status          TEXT NOT NULL,
    previous_status     TEXT,
    previous_sub_status TEXT,
    meeting_schedule    TEXT,
    has_recording       INTEGER NOT NULL DEFAULT 0,
    final_reason        TEXT,             -- 'terminal' | 'link_expired' when tracking ends with this change
    observed_at         INTEGER NOT NULL
  );
  CREATE INDEX changes_verification ON changes (verification_id, id);

  CREATE TABLE deliveries (
    tracking_id     INTEGER NOT NULL REFERENCES trackings (id) ON DELETE CASCADE,
    change_id       INTEGER NOT NULL REFERENCES changes (id) ON DELETE CASCADE,
    posted_at       INTEGER,
    reply_ts        TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    PRIMARY KEY (tracking_id, change_id)
  ) WITHOUT ROWID;
  CREATE INDEX deliveries_pending ON deliveries (tracking_id, change_id) WHERE posted_at IS NULL;
  CREATE INDEX deliveries_change ON deliveries (change_id);

  CREATE TABLE audit (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    actor      TEXT NOT NULL,
    team_id    TEXT,
    channel_id TEXT,
    action     TEXT NOT NULL,
    subject    TEXT,
    detail     TEXT
  );
  CREATE INDEX audit_at ON audit (at);
  `,
  `
  -- The Cashfree request budget, shared by every process on this database and kept across restarts:
  -- a token bucket for even pacing, and a log of recent requests for the hard per-minute cap.
  CREATE TABLE budget_bucket (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    tokens       REAL NOT NULL,
    updated_at   INTEGER NOT NULL,
    paused_until INTEGER NOT NULL DEFAULT 0    -- Cashfree answered 429: nobody asks before this
  );
  CREATE TABLE budget_log (
    at INTEGER NOT NULL
  );
  CREATE INDEX budget_log_at ON budget_log (at);

  -- Who polls and delivers: one process at a time holds the lease and renews it.
  CREATE TABLE leases (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    acquired_at INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
  );

  ALTER TABLE verifications ADD COLUMN changed_at INTEGER;              -- when status or sub_status last changed
  ALTER TABLE verifications ADD COLUMN urgent INTEGER NOT NULL DEFAULT 0; -- an agent asked: poll before anything else
  UPDATE verifications SET changed_at = observed_at;
  DROP INDEX verifications_due;
  CREATE INDEX verifications_due ON verifications (urgent DESC, next_poll_at) WHERE next_poll_at IS NOT NULL;

  ALTER TABLE deliveries ADD COLUMN sending_since INTEGER;               -- set just before the post, cleared after
  `,
  `
  -- Cashfree webhooks, stored before they are answered. Only the fields the bot uses are kept (never the raw
  -- body, which may carry the customer's details); body_hash makes a redelivery a no-op.
  CREATE TABLE webhook_events (
    id              INTEGER PRIMARY KEY,
    body_hash       TEXT NOT NULL UNIQUE,
    received_at     INTEGER NOT NULL,
    event_type      TEXT NOT NULL,
    event_time      INTEGER,                 -- Cashfree's event_time, ms; NULL when missing or unreadable
    verification_id TEXT,
    reference_id    INTEGER,
    status          TEXT,
    sub_status      TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    processed_at    INTEGER
  );
  CREATE INDEX webhook_events_pending ON webhook_events (id) WHERE processed_at IS NULL;

  -- Channels that follow every verification of the account that reaches the bot by webhook.
  CREATE TABLE subscriptions (
    channel_id    TEXT PRIMARY KEY,
    team_id       TEXT,
    filter        TEXT NOT NULL,             -- 'all' | 'failures'
    subscribed_by TEXT NOT NULL,
    subscribed_at INTEGER NOT NULL
  );

  ALTER TABLE verifications ADD COLUMN pushed_at INTEGER;  -- last webhook for it: polling slows to a safety net
  `,
  `
  -- Notes the bot posts once: a stuck wait or an expiring link, per tracking. wait_key names the wait
  -- (status, sub-status and since when), so a new wait gets a new note and the same wait never a second one.
  CREATE TABLE alerts (
    tracking_id INTEGER NOT NULL REFERENCES trackings (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,            -- 'stuck' | 'expiry'
    wait_key    TEXT NOT NULL,
    posted_at   INTEGER NOT NULL,
    PRIMARY KEY (tracking_id, kind, wait_key)
  ) WITHOUT ROWID;

  -- When each channel last got its daily digest: the next one reports outcomes since then.
  CREATE TABLE digests (
    channel_id TEXT PRIMARY KEY,
    posted_at  INTEGER NOT NULL
  );
  `,
  `
  -- Who claimed a verification for a poll, and when: a claim a crashed or failed tick left behind is taken
  -- back once it is older than a poll could take, instead of waiting for the lease to change hands.
  ALTER TABLE verifications ADD COLUMN claimed_by TEXT;
  ALTER TABLE verifications ADD COLUMN claimed_at INTEGER;
  -- The last poll that still saw the previous state: the change happened after it, before observed_at.
  ALTER TABLE changes ADD COLUMN seen_before_at INTEGER;
  -- 1: the next poll is at a known time (a call's slot, a link's expiry) and goes before other due work.
  ALTER TABLE verifications ADD COLUMN known_due INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX verifications_known ON verifications (next_poll_at) WHERE known_due = 1;
  `,
  `
  -- A webhook's data mirrors GET /vkyc: it is kept whole (but for the customer's link and details), so a change
  -- recorded from the event alone carries the meeting time, the expiry and the recording flag, as a poll would.
  ALTER TABLE webhook_events ADD COLUMN user_id TEXT;
  ALTER TABLE webhook_events ADD COLUMN link_expiry TEXT;
  ALTER TABLE webhook_events ADD COLUMN meeting_schedule TEXT;
  ALTER TABLE webhook_events ADD COLUMN has_recording INTEGER;
  -- Cashfree's events have no id. delivery_key (was body_hash; now a hash of what the bot read, time included)
  -- makes the same delivery twice a no-op; content_key (the same without event_time) recognises a redelivery
  -- stamped with another time, which is then dated by the first delivery of its content.
  ALTER TABLE webhook_events RENAME COLUMN body_hash TO delivery_key;
  ALTER TABLE webhook_events ADD COLUMN content_key TEXT;
  CREATE INDEX webhook_events_content ON webhook_events (content_key);
  `,
  `
  -- The next moment a poll is known to be worth it (a link's expiry, around a booked call), kept apart from
  -- next_poll_at: a verification already overdue on its chance of news still goes first once that moment comes.
  ALTER TABLE verifications ADD COLUMN known_at INTEGER;
  UPDATE verifications SET known_at = next_poll_at WHERE known_due = 1;
  DROP INDEX verifications_known;
  ALTER TABLE verifications DROP COLUMN known_due;
  CREATE INDEX verifications_known ON verifications (known_at) WHERE known_at IS NOT NULL AND next_poll_at IS NOT NULL;
  `,
  `
  -- A card posted as a reply in an existing thread (a message shortcut's message, or the card it started
  -- again from): thread_ts is that thread's root, where the card's status replies go too. NULL: the card
  -- is the root of its own thread (parent_ts).
  ALTER TABLE trackings ADD COLUMN thread_ts TEXT;

  -- Start again after an expired or failed link: a new verification for the same Cashfree user, followed
  -- in the old card's thread. At most one per verification that is running or done (the unique index, not
  -- memory, refuses a second click); a failed one leaves room for another try.
  CREATE TABLE restarts (
    id                   INTEGER PRIMARY KEY,
    from_verification_id TEXT NOT NULL,
    to_verification_id   TEXT NOT NULL UNIQUE,
    channel_id           TEXT NOT NULL,
    thread_ts            TEXT NOT NULL,
    started_by           TEXT NOT NULL,
    started_at           INTEGER NOT NULL,
    outcome              TEXT NOT NULL DEFAULT 'running',  -- 'running' | 'started' | 'failed'
    to_permalink         TEXT,
    finished_at          INTEGER
  );
  CREATE UNIQUE INDEX restarts_one_per_verification ON restarts (from_verification_id) WHERE outcome <> 'failed';
  CREATE INDEX restarts_started ON restarts (started_at);
  `,
  `
  -- Channel rules (/kyc subscribe): several per channel. terms holds a rule's canonical words
  -- (src/vkyc/rules.ts, ruleText); '' matches every verification. The one-filter-per-channel table is
  -- carried over: 'all' becomes a rule without terms, 'failures' the rule \`failures\`.
  CREATE TABLE subscription_rules (
    id         INTEGER PRIMARY KEY,
    channel_id TEXT NOT NULL,
    team_id    TEXT,
    terms      TEXT NOT NULL,
    set_by     TEXT NOT NULL,
    set_at     INTEGER NOT NULL
  );
  CREATE INDEX subscription_rules_channel ON subscription_rules (channel_id, id);
  INSERT INTO subscription_rules (channel_id, team_id, terms, set_by, set_at)
    SELECT channel_id, team_id, CASE filter WHEN 'failures' THEN 'failures' ELSE '' END, subscribed_by, subscribed_at
    FROM subscriptions ORDER BY subscribed_at;
  DROP TABLE subscriptions;

  -- /kyc settings, per channel; a channel without a row has the defaults (broadcast, every change).
  CREATE TABLE channel_settings (
    channel_id          TEXT PRIMARY KEY,
    team_id             TEXT,
    thread_only         INTEGER NOT NULL DEFAULT 0,  -- final states not broadcast to the channel
    condensed           INTEGER NOT NULL DEFAULT 0,  -- the thread gets milestones only
    stuck_after_minutes INTEGER,                     -- NULL: KYC_STUCK_AFTER_SECONDS
    escalation_target   TEXT,                        -- '<!here>' or '<!subteam^S…>'; NULL: nobody
    updated_by          TEXT NOT NULL,
    updated_at          INTEGER NOT NULL
  );

  -- What only /kyc vkyc knows about a verification (Cashfree's answers carry no template): rules read it.
  CREATE TABLE verification_origins (
    verification_id TEXT PRIMARY KEY REFERENCES verifications (verification_id) ON DELETE CASCADE,
    started_by      TEXT NOT NULL,
    user_template   TEXT,
    agent_template  TEXT,
    started_at      INTEGER NOT NULL
  );

  -- 1: a channel rule opened this card, so its tracked_by is the rule's author, not someone who tracked it.
  ALTER TABLE trackings ADD COLUMN opened_by_rule INTEGER NOT NULL DEFAULT 0;
  UPDATE trackings SET opened_by_rule = 1 WHERE EXISTS (
    SELECT 1 FROM audit a WHERE a.action = 'tracking_started' AND a.detail = 'subscription'
      AND a.subject = trackings.verification_id AND a.channel_id = trackings.channel_id);
  -- 1: a condensed channel's thread skipped this change on purpose; posted_at says when it was handled.
  ALTER TABLE deliveries ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0;
  `,
  `
  -- Weekly turnaround reports, one per channel and week (period_start), marked before they are posted.
  CREATE TABLE turnaround_reports (
    channel_id   TEXT NOT NULL,
    period_start INTEGER NOT NULL,
    posted_at    INTEGER NOT NULL,
    PRIMARY KEY (channel_id, period_start)
  ) WITHOUT ROWID;
  -- Turnaround reads the changes of a period, and each one's trackings whether they ended or not.
  CREATE INDEX changes_observed ON changes (observed_at);
  CREATE INDEX trackings_verification ON trackings (verification_id, tracked_at);
  `,
  `
  -- The owner of a verification, who gets its DMs and is mentioned on its final state: the agent who started it
  -- with /kyc vkyc, else the first agent who tracked it with /kyc track (cards opened for a subscription own nothing).
  CREATE TABLE owners (
    verification_id TEXT PRIMARY KEY REFERENCES verifications (verification_id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL,
    how             TEXT NOT NULL,          -- 'started' | 'tracked'
    since           INTEGER NOT NULL
  );
  CREATE INDEX owners_user ON owners (user_id);
  -- The agent whose own command or click (/kyc status, Refresh) revealed a change: nobody is told of their own action.
  CREATE TABLE change_causes (
    change_id INTEGER PRIMARY KEY REFERENCES changes (id) ON DELETE CASCADE,
    user_id   TEXT NOT NULL
  );
  -- DMs to owners, one row per event, written before anything is sent: event_key names the event (a change, a call's
  -- slot, a link's expiry), so it is sent once, a restart repeats nothing, and a failed post is retried. No free text.
  CREATE TABLE owner_dms (
    id              INTEGER PRIMARY KEY,
    verification_id TEXT NOT NULL REFERENCES verifications (verification_id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL,
    kind            TEXT NOT NULL,          -- 'call_soon' | 'dropoff' | 'precheck_failed' | 'rejected' | 'expiring'
    event_key       TEXT NOT NULL,
    status          TEXT NOT NULL,          -- the codes when the event happened (Cashfree's, never free text)
    sub_status      TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,       -- quiet hours and retries move it
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    done_at         INTEGER,                -- set before the post; cleared again if Slack fails
    outcome         TEXT,                   -- 'sent' | 'muted' | 'stale' | 'undeliverable'
    UNIQUE (verification_id, kind, event_key)
  );
  CREATE INDEX owner_dms_due ON owner_dms (next_attempt_at) WHERE done_at IS NULL;
  -- How far the scan of changes for owners' DMs has got; it starts after the changes recorded before this schema.
  CREATE TABLE owner_scan (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    change_id INTEGER NOT NULL
  );
  INSERT INTO owner_scan (id, change_id) SELECT 1, coalesce(max(id), 0) FROM changes;
  -- Each agent's choices on App Home: the DM kinds they turned off, and quiet hours in KYC_TIMEZONE (minutes after midnight).
  CREATE TABLE owner_settings (
    user_id     TEXT PRIMARY KEY,
    muted_kinds TEXT NOT NULL DEFAULT '',   -- comma list
    quiet_from  INTEGER,
    quiet_until INTEGER,
    updated_at  INTEGER NOT NULL
  );
  `,
  `
  -- Workflow Builder "Wait for a Video KYC outcome" steps still open: one row per Slack function execution.
  -- Only ids and the final state: never the function's token (short-lived; completion uses the bot token)
  -- nor any workflow input. settled_at: the verification ended (observe.ts records it with the final state);
  -- completed_at: Slack confirmed the completion, or said the execution no longer runs (closed_reason).
  CREATE TABLE workflow_waits (
    execution_id    TEXT PRIMARY KEY,
    verification_id TEXT NOT NULL,
    team_id         TEXT,
    user_id         TEXT,
    started_at      INTEGER NOT NULL,
    status          TEXT,
    sub_status      TEXT,
    final_reason    TEXT,
    settled_at      INTEGER,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    completed_at    INTEGER,
    closed_reason   TEXT
  );
  CREATE INDEX workflow_waits_open ON workflow_waits (verification_id) WHERE settled_at IS NULL;
  CREATE INDEX workflow_waits_due ON workflow_waits (next_attempt_at) WHERE settled_at IS NOT NULL AND completed_at IS NULL;
  `,
  `
  -- /kyc find: which verifications the bot started for a phone, by a keyed hash of the normalised number
  -- (HMAC-SHA256 under a key derived from KYC_PHONE_KEY, which is never stored). Never the number itself.
  CREATE TABLE phone_starts (
    phone_hash      TEXT NOT NULL,
    verification_id TEXT NOT NULL,
    started_at      INTEGER NOT NULL,
    started_by      TEXT NOT NULL,
    channel_id      TEXT,
    PRIMARY KEY (phone_hash, verification_id)
  ) WITHOUT ROWID;
  CREATE INDEX phone_starts_at ON phone_starts (started_at);

  -- Bulk starts from a CSV. A row's phone, name and email are kept only sealed (AES-256-GCM under a key
  -- derived from KYC_PHONE_KEY) until it is started or fails, then the box is deleted. verification_id is
  -- fixed when the row is stored (bulk_<batch_key>_<row>), so a retry after a crash reuses it.
  CREATE TABLE bulk_batches (
    id           INTEGER PRIMARY KEY,
    batch_key    TEXT NOT NULL UNIQUE,
    created_by   TEXT NOT NULL,
    team_id      TEXT,
    dm_channel   TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    status       TEXT NOT NULL,            -- 'draft' | 'running' | 'done'
    channel_id   TEXT,                     -- where the batch card is
    card_ts      TEXT,
    options      TEXT,                     -- JSON: templates and notification types
    confirmed_at INTEGER,
    card_stale   INTEGER NOT NULL DEFAULT 0,
    finished_at  INTEGER,
    csv_sent_at  INTEGER
  );
  CREATE INDEX bulk_batches_open ON bulk_batches (status) WHERE status != 'done' OR csv_sent_at IS NULL;
  CREATE TABLE bulk_rows (
    batch_id        INTEGER NOT NULL REFERENCES bulk_batches (id) ON DELETE CASCADE,
    row_number      INTEGER NOT NULL,      -- as a spreadsheet numbers it, header included
    state           TEXT NOT NULL,         -- 'invalid' | 'pending' | 'starting' | 'started' | 'failed'
    sealed          TEXT,                  -- NULL unless pending or starting
    verification_id TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    attempted_at    INTEGER,               -- the last POST /vkyc for it
    reason          TEXT,                  -- why it is invalid or failed: a code, never the row's values
    reported_at     INTEGER,               -- its failure was posted in the batch card's thread
    PRIMARY KEY (batch_id, row_number)
  ) WITHOUT ROWID;
  CREATE INDEX bulk_rows_attempted ON bulk_rows (attempted_at) WHERE attempted_at IS NOT NULL;
  `,
  `
  -- SLA escalations (KYC_SLA), one per breach and tracking: breach_key names the stage and when it began, so a stage
  -- entered again later is a new breach. Written before the thread is mentioned; removed again if Slack refuses.
  -- (The owner's DM for a breach is an owner_dms row of kind 'sla' with the same key.)
  CREATE TABLE sla_escalations (
    tracking_id INTEGER NOT NULL REFERENCES trackings (id) ON DELETE CASCADE,
    breach_key  TEXT NOT NULL,
    posted_at   INTEGER NOT NULL,
    PRIMARY KEY (tracking_id, breach_key)
  ) WITHOUT ROWID;
  `,
];
