import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { FunctionDefinitions } from '../../sim/slack-functions.js';

/**
 * Slack's published app manifest schema, version 2 (slackapi/manifest-schema, `schemas/manifest.schema.2.0.0.json`
 * at commit c50cfa8, with `manifest.schema.json` choosing it by `_metadata.major_version`), restated here for the
 * sections this app uses, rule for rule: each object refuses keys the schema does not list (its
 * `additionalProperties: false`), with the schema's required keys, lengths, patterns and enums. Sections the app
 * does not use are refused too, so adding one means adding its rules here first.
 */

const url = z.string().regex(/^https?:\/\//).max(3500);
const strictObject = <T extends z.ZodRawShape>(shape: T) => z.strictObject(shape);

/** `slack-functions.parameter` types: the primitive and Slack types a function parameter may have. */
export const PARAMETER_TYPES = [
  'integer',
  'number',
  'boolean',
  'string',
  'object',
  'array',
  'slack#/types/user_context',
  'slack#/types/user_permission',
  'slack#/types/user_id',
  'slack#/types/channel_id',
  'slack#/types/usergroup_id',
  'slack#/types/timestamp',
  'slack#/types/blocks',
  'slack#/types/credential/oauth2',
  'slack#/types/date',
  'slack#/types/interactivity',
  'slack#/types/rich_text',
  'slack#/types/form_input',
  'slack#/types/form_input_object',
  'slack#/types/message_ts',
  'slack#/types/message_context',
] as const;

/** `app-manifests.v1.hermes.types.type`: open to further keys, as the schema is. */
const parameter = z.looseObject({
  type: z.enum(PARAMETER_TYPES),
  title: z.string().optional(),
  description: z.string().optional(),
  is_required: z.boolean().optional(),
  is_hidden: z.boolean().optional(),
  hint: z.string().optional(),
});

/** `app-manifests.v1.hermes.types`, at most 50 parameters. */
const parameters = z.record(z.string(), parameter).refine((map) => Object.keys(map).length <= 50, 'at most 50 parameters');

/** `app-manifests.v2.hermes.functions` input_parameters / output_parameters: `properties` required, `required` names. */
const parameterSet = z.looseObject({ properties: parameters, required: z.array(z.string()).optional() });

const functionDefinition = strictObject({
  title: z.string(),
  description: z.string(),
  input_parameters: parameterSet,
  output_parameters: parameterSet,
});

const slashCommand = strictObject({
  command: z.string().min(2).max(32).regex(/^\//),
  url: z.string().regex(/^https?:\/\//).max(3000).optional(),
  description: z.string().min(1).max(2000),
  usage_hint: z.string().min(1).max(1000).optional(),
  should_escape: z.boolean().optional(),
});

const shortcut = strictObject({
  name: z.string().min(1).max(24),
  type: z.enum(['message', 'global']),
  callback_id: z.string().min(1).max(255),
  description: z.string().min(1).max(150),
});

const scopeList = z.array(z.string().max(50)).max(255);
const eventList = z
  .array(z.string().max(50))
  .max(100)
  .refine((events) => new Set(events).size === events.length, 'events are listed once each');

export const manifestSchema = strictObject({
  $schema: z.string().optional(),
  _metadata: strictObject({
    schema_version: z.number().int().optional(),
    min_version: z.number().int().optional(),
    major_version: z.literal(2),
    minor_version: z.number().int().optional(),
  }),
  display_information: strictObject({
    name: z.string().min(1).max(35),
    description: z.string().min(1).max(140).optional(),
    background_color: z.string().min(4).max(7).optional(),
    long_description: z.string().min(175).max(4000).optional(),
  }),
  features: strictObject({
    app_home: strictObject({
      home_tab_enabled: z.boolean().optional(),
      messages_tab_enabled: z.boolean().optional(),
      messages_tab_read_only_enabled: z.boolean().optional(),
    }).optional(),
    bot_user: strictObject({ display_name: z.string().min(1).max(80), always_online: z.boolean().optional() }).optional(),
    shortcuts: z.array(shortcut).min(1).max(10).optional(),
    slash_commands: z.array(slashCommand).min(1).max(50).optional(),
  }).optional(),
  oauth_config: strictObject({
    redirect_urls: z.array(url).optional(),
    scopes: strictObject({ user: scopeList.optional(), bot: scopeList.optional(), user_optional: scopeList.optional(), bot_optional: scopeList.optional() }).optional(),
    token_management_enabled: z.boolean().optional(),
    pkce_enabled: z.boolean().optional(),
  }).optional(),
  settings: strictObject({
    event_subscriptions: strictObject({ request_url: url.optional(), user_events: eventList.optional(), bot_events: eventList.optional() }).optional(),
    interactivity: strictObject({ is_enabled: z.boolean(), request_url: url.optional(), message_menu_options_url: url.optional() }).optional(),
    org_deploy_enabled: z.boolean().optional(),
    socket_mode_enabled: z.boolean().optional(),
    is_hosted: z.boolean().optional(),
    token_rotation_enabled: z.boolean().optional(),
    hermes_app_type: z.string().optional(),
    function_runtime: z.string().optional(),
    is_mcp_enabled: z.boolean().optional(),
  }).optional(),
  functions: z
    .record(z.string(), functionDefinition)
    .refine((map) => Object.keys(map).length <= 50, 'at most 50 functions')
    .optional(),
});

export type Manifest = z.infer<typeof manifestSchema>;

export function readManifestText(): string {
  return readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8');
}

/** manifest.yml as Slack would read it; throws, listing every problem, when Slack's schema refuses it. */
export function loadManifest(text = readManifestText()): Manifest {
  return manifestSchema.parse(parseYaml(text));
}

/** The Workflow Builder steps manifest.yml declares, as the Slack simulator runs them. */
export function manifestFunctions(): FunctionDefinitions {
  return loadManifest().functions ?? {};
}

/** The bot scopes manifest.yml asks for: the Slack simulator grants exactly these, so a scope left out fails a test. */
export function manifestBotScopes(): string[] {
  return loadManifest().oauth_config?.scopes?.bot ?? [];
}

/** The bot events manifest.yml subscribes to. */
export function manifestBotEvents(): string[] {
  return loadManifest().settings?.event_subscriptions?.bot_events ?? [];
}
