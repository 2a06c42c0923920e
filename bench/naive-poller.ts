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

export interface VkycAnswer {
  status?: string;
  sub_status?: string;
  link_expiry?: string;
}

/**
 * The same loop at a fixed budget: one GET /vkyc every 60.1 s / perMinute
 * (the bot's budget keeps the same 100 ms margin),
 * round-robin over the verifications still of interest, on an absolute
 * schedule. `answered` says whether a verification is finished (final status,
 * expired link) and leaves the rotation.
 */
export async function roundRobinPoll(
  baseUrl: string,
  ids: readonly string[],
  options: { perMinute: number; signal: AbortSignal; answered: (id: string, answer: VkycAnswer, at: number) => 'done' | 'again' },
): Promise<number> {
  const active = [...ids];
  const started = performance.now();
  let sent = 0;
  let cursor = 0;
  while (!options.signal.aborted && active.length > 0) {
    const wait = started + (sent * 60_100) / options.perMinute - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (options.signal.aborted) break;
    const id = active[cursor % active.length] ?? '';
    sent += 1;
    const res = await fetch(`${baseUrl}/vkyc?verification_id=${encodeURIComponent(id)}`, {
      headers: { 'x-client-id': SECRETS.clientId, 'x-client-secret': SECRETS.clientSecret, 'x-api-version': '2024-12-01' },
    });
    const answer = (await res.json()) as VkycAnswer;
    if (res.ok && options.answered(id, answer, Date.now()) === 'done') active.splice(cursor % active.length, 1);
    else cursor += 1;
    cursor %= Math.max(1, active.length);
  }
  return sent;
}
