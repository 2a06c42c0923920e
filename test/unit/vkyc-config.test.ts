import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { isValidSchedule } from '../../src/jobs/scheduler.js';

const BASE = { SLACK_BOT_TOKEN: 'xoxb-1-abc', SLACK_SIGNING_SECRET: 'secret', CASHFREE_CLIENT_ID: 'id', CASHFREE_CLIENT_SECRET: 'cs' };
const parse = (env: Record<string, string>) => parseConfig({ ...BASE, ...env }, isValidSchedule);

describe('/kyc vkyc configuration', () => {
  it('defaults to the documented templates and SMS', () => {
    expect(parse({}).vkyc).toEqual({ userTemplate: 'vkyc_user_template_v1', agentTemplate: 'vkyc_agent_template_v1', notify: ['sms'] });
  });

  it('reads templates and a list of notification types', () => {
    const config = parse({ VKYC_USER_TEMPLATE: 'u.t-1', VKYC_AGENT_TEMPLATE: 'a_t', VKYC_NOTIFY: ' SMS, whatsapp ,email,sms' });
    expect(config.vkyc).toEqual({ userTemplate: 'u.t-1', agentTemplate: 'a_t', notify: ['sms', 'whatsapp', 'email'] });
  });

  it('names the variable that is wrong', () => {
    expect(() => parse({ VKYC_NOTIFY: 'sms,fax' })).toThrow(/^VKYC_NOTIFY must list sms, whatsapp or email/);
    expect(() => parse({ VKYC_NOTIFY: ' , ' })).toThrow(/^VKYC_NOTIFY must name at least one/);
    expect(() => parse({ VKYC_USER_TEMPLATE: 'bad name' })).toThrow(/^VKYC_USER_TEMPLATE must be a template name/);
  });
});
