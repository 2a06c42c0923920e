import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { STANDARD_JOURNEY } from '../../sim/cashfree.js';
import type { SimCompletion, SimExecution } from '../../sim/slack.js';
import { WORKFLOW_STEPS } from '../../src/slack/workflow-steps.js';
import { openDatabase } from '../../src/store/open.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { storedRows } from '../helpers/stored.js';
import { decodeQr } from '../helpers/qr.js';

/** The customer's details typed into the workflow's form; Slack keeps them, the bot passes them to Cashfree only. */
const CUSTOMER = { phone: '+91 98765-43210', normalised: '9876543210', name: 'Meera Iyer', email: 'meera.iyer@example.in' };
const RUNNER = { id: 'U0AGENT', secret: 'dXNlci1jb250ZXh0LXNlY3JldA==' };

for (const socketMode of [false, true]) {
  describe(`Workflow Builder steps (${socketMode ? 'Socket Mode' : 'HTTP'})`, () => {
    let h: Harness;

    beforeAll(async () => {
      h = await startHarness({ socketMode });
    });
    afterAll(async () => {
      await h.close();
    });
    beforeEach(() => {
      h.slack.reset();
    });

    /** The completion Slack took for an execution, once the bot sent it. */
    const completionOf = (execution: SimExecution): Promise<SimCompletion> =>
      h.slack.waitFor(() => h.slack.functions.accepted().find((c) => c.executionId === execution.id));
    const completionsOf = (execution: SimExecution) => h.slack.functions.completions.filter((c) => c.executionId === execution.id);

    async function startStep(inputs: Record<string, unknown> = {}): Promise<{ execution: SimExecution; id: string }> {
      const execution = await h.runStep(WORKFLOW_STEPS.start, { requested_by: RUNNER, phone: CUSTOMER.phone, name: CUSTOMER.name, email: CUSTOMER.email, channel: 'C0KYC', ...inputs });
      const completion = await completionOf(execution);
      expect(completion).toMatchObject({ method: 'functions.completeSuccess', by: 'function' });
      return { execution, id: String(completion.outputs?.['verification_id']) };
    }

    /** Every row of every table, every log line, every channel-visible call and every step output, as text. */
    function everythingShown(): string {
      const channelCalls = h.slack.calls.filter((c) => String(c.params['channel'] ?? c.params['channel_id'] ?? '').startsWith('C'));
      return [storedRows(h.config.databasePath), JSON.stringify([h.logs, channelCalls, h.slack.messages('C0KYC'), h.slack.functions.completions])].join('\n');
    }

    function expectNothingPersonal(link: string) {
      const shown = everythingShown();
      for (const secret of [CUSTOMER.normalised, '98765', CUSTOMER.name, 'Iyer', CUSTOMER.email, link, RUNNER.secret]) expect(shown).not.toContain(secret);
    }

    it('starts a Video KYC: ids as outputs, the link to the runner by DM, the card in the chosen channel', async () => {
      const { execution, id } = await startStep();
      expect(id).toBe(`vkyc_wf_${execution.id}`);
      const [completion] = completionsOf(execution);
      expect(completion?.outputs).toEqual({ verification_id: id, reference_id: h.cashfree.state(id).reference_id });
      expect(h.cashfree.bodies('user').at(-1)).toEqual({ phone: CUSTOMER.normalised, name: CUSTOMER.name, email: CUSTOMER.email });
      expect(h.cashfree.bodies('vkyc-create').at(-1)).toMatchObject({ verification_id: id, user_template: 'vkyc_user_template_v1', notification_types: ['sms'] });

      const link = h.cashfree.state(id).vkyc_link;
      const upload = h.slack.calls.find((c) => c.method === 'files.completeUploadExternal');
      expect(upload?.params['channel_id']).toBe('DU0AGENT');
      expect(String(upload?.params['initial_comment'])).toContain(link);
      expect(decodeQr(h.slack.uploads.at(-1)?.bytes ?? Buffer.alloc(0))?.text).toBe(link);
      // The DM and the card are the bot's own calls; the execution's token only completes the step.
      expect(h.slack.calls.filter((c) => c.method === 'chat.postMessage' || c.method === 'files.completeUploadExternal').every((c) => c.token === h.config.slack.botToken)).toBe(true);
      expect(h.slack.messages('C0KYC').find((m) => m.thread_ts === undefined && m.text.includes(id))?.text).toContain('RECEIVED');
      await h.slack.waitFor(() => h.logs.some((line) => line.includes('"msg":"workflow step"') && line.includes(execution.id) && line.includes('"result":"ok"')));
      expectNothingPersonal(link);
      // The execution's token is a credential: neither logged nor stored.
      expect(everythingShown()).not.toContain(execution.token.slice(5));
    });

    it('starts the customer once when Slack delivers the step twice', async () => {
      const { execution, callback } = h.slack.functions.execute(WORKFLOW_STEPS.start, { requested_by: RUNNER, phone: CUSTOMER.phone, channel: 'C0KYC' });
      await h.event(callback);
      await completionOf(execution);
      await h.event({ ...callback, event_id: `${String(callback['event_id'])}R` });
      await h.slack.waitFor(() => completionsOf(execution).length === 2);
      expect(h.cashfree.bodies('vkyc-create').filter((b) => b['verification_id'] === `vkyc_wf_${execution.id}`)).toHaveLength(2);
      // Cashfree refused the second start as a duplicate id; Slack refused its completion, as the step had ended.
      expect(completionsOf(execution).map((c) => c.refused)).toEqual([undefined, 'execution_not_in_running_state']);
      expect(h.slack.messages('C0KYC').filter((m) => m.thread_ts === undefined && m.text.includes(`vkyc_wf_${execution.id}`))).toHaveLength(1);
    });

    it('fails with plain words when the inputs are wrong, without calling Cashfree', async () => {
      const before = h.cashfree.requests.length;
      const execution = await h.runStep(WORKFLOW_STEPS.start, { requested_by: RUNNER, phone: '12345', email: 'nope', channel: 'C0KYC' });
      const completion = await completionOf(execution);
      expect(completion.method).toBe('functions.completeError');
      expect(completion.error).toContain('Customer mobile number: Enter an Indian mobile number');
      expect(completion.error).toContain('Customer email:');
      expect(completion.error).not.toMatch(/[`*]|:warning:/);
      expect(h.cashfree.requests.length).toBe(before);
    });

    it('reports the status, by verification id or ref:, fetched within the request budget', async () => {
      const { id } = await startStep();
      h.cashfree.advance(id);
      const byId = await h.runStep(WORKFLOW_STEPS.status, { verification: id, requested_by: RUNNER });
      expect((await completionOf(byId)).outputs).toEqual({ verification_id: id, status: 'PRE_VIDEO_CALL', sub_status: 'AADHAAR_VERIFICATION_SUCCESS', phase: 'customer' });
      const byRef = await h.runStep(WORKFLOW_STEPS.status, { verification: `ref:${h.cashfree.state(id).reference_id}` });
      expect((await completionOf(byRef)).outputs).toMatchObject({ verification_id: id, status: 'PRE_VIDEO_CALL' });
      const bad = await h.runStep(WORKFLOW_STEPS.status, { verification: 'not an id!' });
      expect((await completionOf(bad)).error).toContain('Verification: enter a verification id');
      const missing = await h.runStep(WORKFLOW_STEPS.status, { verification: 'vk_nobody_knows' });
      expect((await completionOf(missing)).error).toMatch(/^Cashfree found nothing/);
    });

    it('waits until the poller sees the outcome, then completes once', async () => {
      const { id } = await startStep();
      const wait = await h.runStep(WORKFLOW_STEPS.wait, { verification_id: id, requested_by: RUNNER });
      await h.slack.waitFor(() => h.logs.some((line) => line.includes(wait.id) && line.includes('"code":"waiting"')));
      for (let step = 1; step < STANDARD_JOURNEY.length; step += 1) {
        expect(completionsOf(wait)).toEqual([]);
        h.cashfree.advance(id);
        await h.bot.tick();
      }
      const completion = await completionOf(wait);
      expect(completion).toMatchObject({ method: 'functions.completeSuccess', by: 'bot' });
      expect(completion.outputs).toEqual({ verification_id: id, status: 'AUDITOR_REVIEWED', sub_status: 'AUDITOR_APPROVED', phase: 'ended', outcome: 'approved' });
      await h.bot.tick();
      expect(completionsOf(wait)).toHaveLength(1);
      expectNothingPersonal(h.cashfree.state(id).vkyc_link);
      expect(everythingShown()).not.toContain(wait.token.slice(5));
    });

    it('fails the wait with the reason when the link expires first', async () => {
      const { id } = await startStep();
      const wait = await h.runStep(WORKFLOW_STEPS.wait, { verification_id: id });
      await h.slack.waitFor(() => h.logs.some((line) => line.includes(wait.id) && line.includes('"code":"waiting"')));
      h.cashfree.setState(id, { link_expiry: new Date(Date.now() - 2 * 86_400_000).toISOString() });
      await h.bot.tick();
      const completion = await completionOf(wait);
      expect(completion.method).toBe('functions.completeError');
      expect(completion.error).toContain(`link for ${id} expired`);
    });

    it('completes a wait on a verification that has already ended at once', async () => {
      const { id } = await startStep();
      for (let step = 1; step < STANDARD_JOURNEY.length; step += 1) h.cashfree.advance(id);
      await h.bot.tick();
      const wait = await h.runStep(WORKFLOW_STEPS.wait, { verification_id: id });
      expect((await completionOf(wait)).outputs).toMatchObject({ outcome: 'approved', phase: 'ended' });
    });
  });
}

describe('Workflow Builder steps across a restart, an expired execution and the access lists', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ socketMode: true, env: { KYC_ALLOWED_USERS: 'U0AGENT,U0LEAD', KYC_ALLOWED_CHANNELS: 'C0KYC' } });
  });
  afterAll(async () => {
    await h.close();
  });

  const accepted = (execution: SimExecution) => h.slack.functions.accepted().filter((c) => c.executionId === execution.id);

  async function started(): Promise<string> {
    const execution = await h.runStep(WORKFLOW_STEPS.start, { requested_by: RUNNER, phone: '9876543210', channel: 'C0KYC' });
    const completion = await h.slack.waitFor(() => accepted(execution)[0]);
    return String(completion.outputs?.['verification_id']);
  }

  async function waiting(id: string): Promise<SimExecution> {
    const wait = await h.runStep(WORKFLOW_STEPS.wait, { verification_id: id, requested_by: RUNNER });
    await h.slack.waitFor(() => h.logs.some((line) => line.includes(wait.id) && line.includes('"code":"waiting"')));
    return wait;
  }

  it('keeps a pending wait in SQLite across a restart and completes it once afterwards', async () => {
    const id = await started();
    const wait = await waiting(id);
    await h.restart();
    for (let step = 1; step < STANDARD_JOURNEY.length; step += 1) {
      h.cashfree.advance(id);
      await h.bot.tick();
    }
    await h.slack.waitFor(() => accepted(wait)[0]);
    await h.bot.tick();
    expect(accepted(wait)).toHaveLength(1);
    expect(h.slack.functions.execution(wait.id)?.state).toBe('completed');
  });

  it('settles a wait from a Cashfree webhook, before any poll sees the outcome', async () => {
    const id = await started();
    const wait = await waiting(id);
    const polls = h.cashfree.pollCount(id);
    h.cashfree.setWebhookUrl(h.webhookUrl);
    try {
      h.cashfree.setState(id, { status: 'REJECTED', sub_status: 'AUDITOR_REJECTED' });
      const settled = () => {
        const db = openDatabase(h.config.databasePath);
        try {
          return db.prepare('SELECT status, sub_status, settled_at FROM workflow_waits WHERE execution_id = ?').get(wait.id) as { settled_at: number | null } | undefined;
        } finally {
          db.close();
        }
      };
      expect(await h.slack.waitFor(() => (settled()?.settled_at == null ? undefined : settled()))).toMatchObject({ status: 'REJECTED', sub_status: 'AUDITOR_REJECTED' });
    } finally {
      h.cashfree.setWebhookUrl(undefined);
    }
    await h.bot.tick();
    expect(accepted(wait).map((c) => c.outputs)).toEqual([{ verification_id: id, status: 'REJECTED', sub_status: 'AUDITOR_REJECTED', phase: 'ended', outcome: 'rejected' }]);
    // The webhook's own check of the state is a status request, and the owner's rejection DM asks for the
    // remarks (they are never stored); no routine poll was needed.
    expect(h.cashfree.pollCount(id)).toBeLessThanOrEqual(polls + 2);
  });

  it('retries a completion Slack failed, and one whose answer was lost is not sent twice', async () => {
    const ticksUntil = async (done: () => boolean) => {
      for (let i = 0; i < 50 && !done(); i += 1) {
        await h.bot.tick();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return done();
    };
    const failing = await waiting(await started());
    const lost = await waiting(await started());
    h.slack.fail('functions.completeSuccess', { status: 503 });
    h.slack.fail('functions.completeSuccess', { dropAnswer: true });
    for (const wait of [failing, lost]) h.cashfree.setState(String(wait.inputs['verification_id']), { status: 'APPROVED', sub_status: 'AUDITOR_APPROVED' });
    expect(await ticksUntil(() => accepted(failing).length === 1 && accepted(lost).length === 1)).toBe(true);
    await h.bot.tick();
    // Each execution completed once; the retry after the lost answer was refused as Slack had it already.
    for (const wait of [failing, lost]) expect(accepted(wait)).toHaveLength(1);
    expect(h.slack.functions.completions.filter((c) => c.refused === 'execution_not_in_running_state').map((c) => c.executionId)).toContain(lost.id);
    expect(h.logs.some((line) => line.includes('workflow wait not completed yet; will retry') && line.includes(failing.id))).toBe(true);
  });

  it('closes a wait whose execution Slack no longer runs, without retrying it', async () => {
    const id = await started();
    const wait = await waiting(id);
    h.slack.functions.expire(wait.id);
    h.cashfree.setState(id, { status: 'REJECTED', sub_status: 'AUDITOR_REJECTED' });
    await h.bot.tick();
    const refused = await h.slack.waitFor(() => h.slack.functions.completions.find((c) => c.executionId === wait.id));
    expect(refused.refused).toBe('execution_not_in_running_state');
    await h.bot.tick();
    expect(h.slack.functions.completions.filter((c) => c.executionId === wait.id)).toHaveLength(1);
    expect(h.logs.some((line) => line.includes('workflow wait closed') && line.includes('execution_not_in_running_state'))).toBe(true);
  });

  it('refuses a runner outside KYC_ALLOWED_USERS, a channel outside KYC_ALLOWED_CHANNELS and a run without a person, and audits each', async () => {
    const before = h.cashfree.requests.length;
    const stranger = await h.runStep(WORKFLOW_STEPS.start, { requested_by: { id: 'U0STRANGER', secret: 's' }, phone: '9876543210', channel: 'C0KYC' });
    const elsewhere = await h.runStep(WORKFLOW_STEPS.start, { requested_by: RUNNER, phone: '9876543210', channel: 'C0OTHER' });
    const nobody = await h.runStep(WORKFLOW_STEPS.status, { verification: 'vk_any' });
    const strangerWait = await h.runStep(WORKFLOW_STEPS.wait, { verification_id: 'vk_any', requested_by: { id: 'U0STRANGER', secret: 's' } });
    const errors = await h.slack.waitFor(() => {
      const found = [stranger, elsewhere, nobody, strangerWait].map((e) => accepted(e)[0]?.error);
      return found.every((error) => error !== undefined) ? found : undefined;
    });
    expect(errors[0]).toContain("not on this bot's allowed list");
    expect(errors[1]).toContain("not on this bot's allowed list");
    expect(errors[2]).toContain('needs to know who runs the workflow');
    expect(errors[3]).toContain("not on this bot's allowed list");
    expect(h.cashfree.requests.length).toBe(before);
    const db = openDatabase(h.config.databasePath);
    try {
      const refusals = db.prepare("SELECT actor, channel_id, subject FROM audit WHERE action = 'access_refused' ORDER BY id").all();
      expect(refusals).toEqual([
        { actor: 'U0STRANGER', channel_id: 'C0KYC', subject: 'workflow_start' },
        { actor: 'U0AGENT', channel_id: 'C0OTHER', subject: 'workflow_start' },
        { actor: 'workflow', channel_id: null, subject: 'workflow_status' },
        { actor: 'U0STRANGER', channel_id: null, subject: 'workflow_wait' },
      ]);
    } finally {
      db.close();
    }
  });
});
