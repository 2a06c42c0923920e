import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { startOutputs, statusOutputs, waitCompletion, WORKFLOW_STEPS } from '../../src/slack/workflow-steps.js';
import { loadManifest, manifestSchema, readManifestText } from '../helpers/manifest.js';

/** manifest.yml against Slack's published manifest schema (restated in test/helpers/manifest.ts), and against the code. */

/** manifest.yml with one change, as YAML again. */
function changed(edit: (manifest: Record<string, unknown>) => void): string {
  const manifest = parseYaml(readManifestText()) as Record<string, unknown>;
  edit(manifest);
  return stringify(manifest);
}

const problemsOf = (text: string): string[] => {
  const parsed = manifestSchema.safeParse(parseYaml(text));
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('manifest.yml', () => {
  it("is valid under Slack's manifest schema", () => {
    expect(problemsOf(readManifestText())).toEqual([]);
  });

  it('is refused by the schema check when it breaks a rule of Slack’s schema', () => {
    const fn = (m: Record<string, unknown>) => (m['functions'] as Record<string, Record<string, unknown>>)['start_video_kyc'] ?? {};
    expect(problemsOf(changed((m) => delete fn(m)['title']))).toEqual([expect.stringContaining('functions.start_video_kyc.title')]);
    expect(
      problemsOf(changed((m) => ((fn(m)['output_parameters'] as { properties: Record<string, unknown> }).properties['verification_id'] = { type: 'text' }))),
    ).toEqual([expect.stringContaining('functions.start_video_kyc.output_parameters.properties.verification_id.type')]);
    expect(problemsOf(changed((m) => ((m['settings'] as Record<string, unknown>)['org_deploy'] = true)))).toEqual([expect.stringContaining('settings')]);
    expect(problemsOf(changed((m) => ((m['_metadata'] as Record<string, unknown>)['major_version'] = 1)))).toEqual([expect.stringContaining('_metadata.major_version')]);
    expect(problemsOf(changed((m) => ((m['display_information'] as Record<string, unknown>)['name'] = 'K'.repeat(36))))).toEqual([
      expect.stringContaining('display_information.name'),
    ]);
  });

  it('declares the steps the bot registers, org-ready, with the event that runs them', () => {
    const manifest = loadManifest();
    expect(Object.keys(manifest.functions ?? {}).sort()).toEqual(Object.values(WORKFLOW_STEPS).sort());
    expect(manifest.settings?.org_deploy_enabled).toBe(true);
    expect(manifest.settings?.function_runtime).toBe('remote');
    expect(manifest.settings?.event_subscriptions?.bot_events).toContain('function_executed');
  });

  it("declares every output the steps complete with, of the type it has, and no input the steps' users cannot see", () => {
    const functions = loadManifest().functions ?? {};
    const state = { verificationId: 'vk_1', referenceId: 12, userId: undefined, status: 'APPROVED', subStatus: 'AUDITOR_APPROVED', linkExpiry: undefined, meetingSchedule: undefined, hasRecording: false };
    const completed = waitCompletion({ verificationId: 'vk_1', status: 'APPROVED', subStatus: '', finalReason: 'terminal' });
    const outputsOf: Record<string, Record<string, string | number>> = {
      [WORKFLOW_STEPS.start]: startOutputs(state),
      [WORKFLOW_STEPS.status]: statusOutputs(state),
      [WORKFLOW_STEPS.wait]: 'outputs' in completed ? completed.outputs : {},
    };
    for (const [callbackId, outputs] of Object.entries(outputsOf)) {
      const declared = functions[callbackId]?.output_parameters;
      expect(Object.keys(outputs).sort()).toEqual(Object.keys(declared?.properties ?? {}).sort());
      for (const name of declared?.required ?? []) expect(outputs).toHaveProperty(name);
      for (const [name, value] of Object.entries(outputs)) expect(typeof value).toBe(declared?.properties[name]?.type === 'integer' ? 'number' : 'string');
    }
    // Nothing in a step's outputs could carry a customer's details or link.
    for (const fn of Object.values(functions)) expect(Object.keys(fn.output_parameters.properties).join(' ')).not.toMatch(/phone|name|email|link|url/);
  });
});
