import { App } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { sendEvent } from '../../sim/sign.js';
import { startSlackSim, type FunctionDefinitions, type SlackSim } from '../../sim/slack.js';
import { manifestFunctions } from '../helpers/manifest.js';

/** A step with one required and one optional output of each kind the checks tell apart. */
const DEFINITIONS: FunctionDefinitions = {
  echo: {
    title: 'Echo',
    description: 'Echoes',
    input_parameters: { properties: { text: { type: 'string' }, who: { type: 'slack#/types/user_context' }, where: { type: 'slack#/types/channel_id' } }, required: ['text'] },
    output_parameters: { properties: { text: { type: 'string' }, count: { type: 'integer' } }, required: ['text'] },
  },
};

let sim: SlackSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function started(definitions = DEFINITIONS): Promise<SlackSim> {
  sim = await startSlackSim({ functions: definitions });
  return sim;
}

const clientFor = (s: SlackSim, token = 'xoxb-sim-token') => new WebClient(token, { slackApiUrl: s.apiUrl, retryConfig: { retries: 0 } });

/** Slack's error code for a call the WebClient threw on. */
async function slackError(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    return String((error as { data?: { error?: string } }).data?.error);
  }
  return 'ok';
}

describe('slack sim: Workflow Builder custom steps', () => {
  it('announces an execution with a function_executed event shaped like Slack’s', async () => {
    const s = await started();
    const { execution, callback } = s.functions.execute('echo', { text: 'hi', who: { id: 'U0AGENT', secret: 'x' } });
    expect(callback).toMatchObject({ type: 'event_callback', team_id: 'T0SIM', api_app_id: 'A0KYC', event_id: expect.stringMatching(/^Ev/) });
    expect(callback['event']).toMatchObject({
      type: 'function_executed',
      function: {
        callback_id: 'echo',
        title: 'Echo',
        type: 'app',
        input_parameters: [
          { type: 'string', name: 'text', is_required: true },
          { type: 'slack#/types/user_context', name: 'who', is_required: false },
          { type: 'slack#/types/channel_id', name: 'where', is_required: false },
        ],
        output_parameters: [
          { type: 'string', name: 'text', is_required: true },
          { type: 'integer', name: 'count', is_required: false },
        ],
      },
      inputs: { text: 'hi', who: { id: 'U0AGENT', secret: 'x' } },
      function_execution_id: execution.id,
      workflow_execution_id: expect.stringMatching(/^Wx/),
      bot_access_token: execution.token,
    });
    expect(execution.token).toMatch(/^xwfp-/);
  });

  it('never runs a step whose inputs break the manifest', async () => {
    const s = await started();
    expect(() => s.functions.execute('echo', {})).toThrow('missing required parameter: text');
    expect(() => s.functions.execute('echo', { text: 'hi', where: 'not a channel' })).toThrow('where is not of type slack#/types/channel_id');
    expect(() => s.functions.execute('echo', { text: 'hi', extra: 1 })).toThrow('unknown parameter: extra');
    expect(() => s.functions.execute('nope', { text: 'hi' })).toThrow('declares no function nope');
  });

  it('takes one completion per execution, with outputs that match the declared ones', async () => {
    const s = await started();
    const { execution } = s.functions.execute('echo', { text: 'hi' });
    const client = clientFor(s, execution.token);
    const complete = (outputs: Record<string, unknown>) => slackError(client.functions.completeSuccess({ function_execution_id: execution.id, outputs }));
    expect(await complete({})).toBe('parameter_validation_failed');
    expect(await complete({ text: 'hi', surprise: 'x' })).toBe('parameter_validation_failed');
    expect(await complete({ text: 'hi', count: 1.5 })).toBe('parameter_validation_failed');
    expect(await slackError(client.apiCall('functions.completeSuccess', { function_execution_id: execution.id }))).toBe('invalid_arguments');
    expect(await slackError(client.apiCall('functions.completeError', { function_execution_id: execution.id }))).toBe('invalid_arguments');
    expect(await slackError(client.apiCall('functions.completeError', { error: 'x' }))).toBe('invalid_arguments');
    expect(s.functions.execution(execution.id)?.state).toBe('running');

    expect(await complete({ text: 'hi', count: 2 })).toBe('ok');
    expect(s.functions.execution(execution.id)?.state).toBe('completed');
    expect(await complete({ text: 'again' })).toBe('execution_not_in_running_state');
    expect(await slackError(clientFor(s).functions.completeError({ function_execution_id: execution.id, error: 'late' }))).toBe('execution_not_in_running_state');
    expect(s.functions.accepted()).toEqual([expect.objectContaining({ executionId: execution.id, outputs: { text: 'hi', count: 2 }, by: 'function' })]);
  });

  it('lets the bot token or the execution’s own token complete it, and no other', async () => {
    const s = await started();
    const first = s.functions.execute('echo', { text: 'a' }).execution;
    const second = s.functions.execute('echo', { text: 'b' }).execution;
    expect(await slackError(clientFor(s, second.token).functions.completeError({ function_execution_id: first.id, error: 'x' }))).toBe('function_execution_not_found');
    expect(await slackError(clientFor(s, 'xwfp-made-up').functions.completeError({ function_execution_id: first.id, error: 'x' }))).toBe('invalid_auth');
    expect(await slackError(clientFor(s).functions.completeError({ function_execution_id: 'Fx0000NOPE', error: 'x' }))).toBe('function_execution_not_found');
    expect(await slackError(clientFor(s).functions.completeError({ function_execution_id: first.id, error: 'It failed.' }))).toBe('ok');
    expect(s.functions.execution(first.id)?.state).toBe('failed');
    expect(s.functions.accepted().at(-1)).toMatchObject({ method: 'functions.completeError', error: 'It failed.', by: 'bot' });
  });

  it('honours an execution’s token for the bot’s methods only while it runs', async () => {
    const s = await started();
    const { execution } = s.functions.execute('echo', { text: 'a' });
    const asStep = clientFor(s, execution.token);
    expect(await slackError(asStep.chat.postMessage({ channel: 'C0KYC', text: 'from the step' }))).toBe('ok');
    await asStep.functions.completeSuccess({ function_execution_id: execution.id, outputs: { text: 'a' } });
    expect(await slackError(asStep.chat.postMessage({ channel: 'C0KYC', text: 'too late' }))).toBe('invalid_auth');
  });

  it('refuses the completion of an execution that timed out on Slack’s side', async () => {
    const s = await started();
    const { execution } = s.functions.execute('echo', { text: 'a' });
    s.functions.expire(execution.id);
    expect(await slackError(clientFor(s).functions.completeSuccess({ function_execution_id: execution.id, outputs: { text: 'a' } }))).toBe('execution_not_in_running_state');
    expect(s.functions.execution(execution.id)?.state).toBe('timed_out');
  });

  it('runs the manifest’s steps through a real Bolt app, whose complete() uses the execution’s token', async () => {
    const s = await started(manifestFunctions());
    const app = new App({ token: 'xoxb-sim-token', signingSecret: 'secret', botId: 'B0BOT', botUserId: 'U0BOT', clientOptions: { slackApiUrl: s.apiUrl } });
    app.function('get_video_kyc_status', async ({ inputs, complete }) => {
      await complete({ outputs: { verification_id: String(inputs['verification']), status: 'RECEIVED', sub_status: 'LINK_GENERATED', phase: 'customer' } });
    });
    const server = await app.start(0);
    try {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      const { execution, callback } = s.functions.execute('get_video_kyc_status', { verification: 'vk_1' });
      expect((await sendEvent(`http://127.0.0.1:${port}/slack/events`, 'secret', callback)).status).toBe(200);
      const completion = await s.waitFor(() => s.functions.accepted()[0]);
      expect(completion).toMatchObject({ executionId: execution.id, by: 'function', outputs: { verification_id: 'vk_1', phase: 'customer' } });
    } finally {
      await app.stop();
    }
  });
});
