import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { START_VKYC_SHORTCUT } from '../../src/listeners/shortcuts/start-vkyc.js';
import { TRACK_MESSAGE_SHORTCUT } from '../../src/listeners/shortcuts/track-message.js';

/**
 * manifest.yml against the rules of Slack's published manifest schema (slackapi/manifest-schema,
 * schemas/manifest.schema.1.0.0.json) for the parts this app uses: what Slack would refuse on import.
 */
const manifest = parse(readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8')) as Record<string, unknown>;

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => {
  expect(typeof value === 'object' && value !== null && !Array.isArray(value)).toBe(true);
  return value as Json;
};
const keysWithin = (value: Json, allowed: string[]) => expect(Object.keys(value).filter((k) => !allowed.includes(k))).toEqual([]);
const text = (value: unknown, min: number, max: number) => {
  expect(typeof value).toBe('string');
  expect(String(value).length).toBeGreaterThanOrEqual(min);
  expect(String(value).length).toBeLessThanOrEqual(max);
};

describe('manifest.yml', () => {
  it('has only the top-level sections the schema allows, and a valid display_information', () => {
    keysWithin(manifest, ['$schema', '_metadata', 'app_directory', 'display_information', 'features', 'oauth_config', 'settings', 'functions', 'workflows', 'datastores', 'outgoing_domains', 'types', 'external_auth_providers']);
    const display = obj(manifest['display_information']);
    keysWithin(display, ['name', 'description', 'background_color', 'long_description']);
    text(display['name'], 1, 35);
    text(display['description'], 1, 140);
    text(display['long_description'], 175, 4000);
    expect(String(display['background_color'])).toMatch(/^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/);
  });

  it('declares both shortcuts as the schema requires, with the callback_ids the bot listens on', () => {
    const features = obj(manifest['features']);
    const shortcuts = features['shortcuts'];
    expect(Array.isArray(shortcuts)).toBe(true);
    const list = (shortcuts as unknown[]).map(obj);
    expect(list.length).toBeGreaterThanOrEqual(1);
    expect(list.length).toBeLessThanOrEqual(10);
    for (const shortcut of list) {
      keysWithin(shortcut, ['name', 'type', 'callback_id', 'description']);
      text(shortcut['name'], 1, 24);
      expect(['message', 'global']).toContain(shortcut['type']);
      text(shortcut['callback_id'], 1, 255);
      text(shortcut['description'], 1, 150);
    }
    expect(list.map((s) => [s['type'], s['callback_id']])).toEqual(
      expect.arrayContaining([
        ['message', TRACK_MESSAGE_SHORTCUT],
        ['global', START_VKYC_SHORTCUT],
      ]),
    );
    expect(obj(obj(manifest['settings'])['interactivity'])['is_enabled']).toBe(true);
  });

  it('keeps the slash command and the bot scopes within the schema', () => {
    const features = obj(manifest['features']);
    for (const command of (features['slash_commands'] as unknown[]).map(obj)) {
      keysWithin(command, ['command', 'url', 'description', 'usage_hint', 'should_escape']);
      expect(String(command['command'])).toMatch(/^\/.{1,31}$/);
      text(command['description'], 1, 2000);
      text(command['usage_hint'], 1, 1000);
    }
    const scopes = obj(obj(manifest['oauth_config'])['scopes']);
    keysWithin(scopes, ['user', 'bot', 'user_optional', 'bot_optional']);
    const bot = scopes['bot'] as unknown[];
    expect(bot.length).toBeLessThanOrEqual(255);
    for (const scope of bot) text(scope, 1, 50);
    expect(new Set(bot).size).toBe(bot.length);
    // conversations.info for the global shortcut's channel picker: public and private channels
    expect(bot).toEqual(expect.arrayContaining(['commands', 'chat:write', 'channels:read', 'groups:read']));
  });
});
