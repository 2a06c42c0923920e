import { SECRETS } from './sims.js';

/**
 * The obvious alternative the bot must beat: one GET /vkyc at a time, the
 * previous status kept in a Map, the way a quick script would poll. No
 * database, no Slack, no budget — only the loop and the wire.
 */
export async function naivePoll(
  baseUrl: string,
  ids: readonly string[],
  previous: Map<string, string>,
  signal: AbortSignal,
): Promise<{ polled: number; changed: number }> {
  let polled = 0;
  let changed = 0;
  for (const id of ids) {
    if (signal.aborted) break;
    const res = await fetch(`${baseUrl}/vkyc?verification_id=${encodeURIComponent(id)}`, {
      headers: { 'x-client-id': SECRETS.clientId, 'x-client-secret': SECRETS.clientSecret, 'x-api-version': '2024-12-01' },
    });
    const body = (await res.json()) as { status?: string; sub_status?: string };
    const status = `${body.status}/${body.sub_status}`;
    if (previous.get(id) !== status) changed += 1;
    previous.set(id, status);
    polled += 1;
  }
  return { polled, changed };
}
