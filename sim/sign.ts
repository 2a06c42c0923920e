import { createHmac } from 'node:crypto';

const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

export interface SlashCommandParams {
  text: string;
  /** Default U0AGENT. */
  userId?: string;
  /** Default C0KYC. */
  channelId?: string;
  /** Default T0SIM. */
  teamId?: string;
  responseUrl: string;
  /** Default /kyc. */
  command?: string;
}

/** Headers Slack sends with a signed request: v0= hex HMAC-SHA256 of `v0:<timestamp>:<body>`. */
export function signSlackBody(
  signingSecret: string,
  body: string,
  timestampSeconds = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const signature = createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${body}`).digest('hex');
  return {
    'content-type': FORM_CONTENT_TYPE,
    'x-slack-request-timestamp': String(timestampSeconds),
    'x-slack-signature': `v0=${signature}`,
  };
}

/** The fields of a slash command: posted form-urlencoded over HTTP, sent as a JSON object over Socket Mode. */
export function slashCommandFields(p: SlashCommandParams): Record<string, string> {
  const channelId = p.channelId ?? 'C0KYC';
  return {
    token: 'legacy',
    team_id: p.teamId ?? 'T0SIM',
    team_domain: 'sim',
    channel_id: channelId,
    channel_name: channelId === 'C0KYC' ? 'kyc' : channelId.toLowerCase(),
    user_id: p.userId ?? 'U0AGENT',
    user_name: 'agent',
    command: p.command ?? '/kyc',
    text: p.text,
    api_app_id: 'A0KYC',
    response_url: p.responseUrl,
    trigger_id: `${Date.now()}.0000.sim`,
  };
}

/** The form-urlencoded payload Slack posts for a slash command. */
export function slashCommandBody(p: SlashCommandParams): string {
  return new URLSearchParams(slashCommandFields(p)).toString();
}

/**
 * POSTs a slash command to a Bolt events URL. signature: a string replaces the computed one;
 * null omits both signature headers.
 */
export async function sendSlashCommand(
  eventsUrl: string,
  signingSecret: string,
  p: SlashCommandParams,
  opts: { timestampSeconds?: number; signature?: string | null } = {},
): Promise<{ status: number; body: string; ms: number }> {
  const body = slashCommandBody(p);
  const signed = signSlackBody(signingSecret, body, opts.timestampSeconds);
  const headers =
    opts.signature === null
      ? { 'content-type': FORM_CONTENT_TYPE }
      : opts.signature === undefined
        ? signed
        : { ...signed, 'x-slack-signature': opts.signature };
  const started = performance.now();
  const res = await fetch(eventsUrl, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, body: text, ms: performance.now() - started };
}

/** POSTs an interaction payload (block_actions, view_submission, message_action, shortcut…) the way Slack does: a signed form with one `payload` field of JSON. */
export async function sendInteraction(
  eventsUrl: string,
  signingSecret: string,
  payload: Record<string, unknown>,
  opts: { signature?: string } = {},
): Promise<{ status: number; body: string }> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const headers = signSlackBody(signingSecret, body);
  if (opts.signature !== undefined) headers['x-slack-signature'] = opts.signature;
  const res = await fetch(eventsUrl, { method: 'POST', headers, body });
  return { status: res.status, body: await res.text() };
}

/** POSTs an Events API callback (`{type:'event_callback', event:{…}}`) the way Slack does: signed JSON. */
export async function sendEvent(eventsUrl: string, signingSecret: string, callback: Record<string, unknown>): Promise<{ status: number; body: string }> {
  const body = JSON.stringify(callback);
  const headers = { ...signSlackBody(signingSecret, body), 'content-type': 'application/json' };
  const res = await fetch(eventsUrl, { method: 'POST', headers, body });
  return { status: res.status, body: await res.text() };
}
