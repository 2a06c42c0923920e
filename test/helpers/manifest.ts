import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const MANIFEST = fileURLToPath(new URL('../../manifest.yml', import.meta.url));

/** The bot scopes manifest.yml asks for: the Slack simulator grants exactly these, so a scope left out fails a test. */
export function manifestBotScopes(): string[] {
  const manifest = parse(readFileSync(MANIFEST, 'utf8')) as { oauth_config?: { scopes?: { bot?: unknown } } };
  const bot = manifest.oauth_config?.scopes?.bot;
  return Array.isArray(bot) ? bot.map(String) : [];
}

/** The bot events manifest.yml subscribes to. */
export function manifestBotEvents(): string[] {
  const manifest = parse(readFileSync(MANIFEST, 'utf8')) as { settings?: { event_subscriptions?: { bot_events?: unknown } } };
  const events = manifest.settings?.event_subscriptions?.bot_events;
  return Array.isArray(events) ? events.map(String) : [];
}
