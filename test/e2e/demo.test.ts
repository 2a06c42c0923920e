import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeQr } from '../helpers/qr.js';

/** `npm run demo` exactly as the README tells a newcomer to run it (the build step is `npm test`'s pretest). */
const DEMO_JS = fileURLToPath(new URL('../../dist/sim/demo.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'kyc-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runDemo(): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [DEMO_JS], { cwd: dir, env: { PATH: process.env['PATH'] ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

describe('npm run demo', () => {
  it('runs the bot in Socket Mode against the simulators and shows the link, the QR code, a whole thread, a Video KYC started from the form with a DM to its owner, and a card opened by push', async () => {
    const { code, output } = await runDemo();
    expect(output).toContain('in Socket Mode');
    expect(output).toMatch(/acknowledged over the socket in \d+ ms/);
    const link = /<(https:\/\/forms\.cashfree\.com\/[^>]+)>/.exec(output)?.[1];
    expect(link).toBeDefined();
    expect(decodeQr(readFileSync(join(dir, 'data', 'demo-qr.png')))?.text).toBe(link);
    expect(output).toContain('AUDITOR_APPROVED');
    expect(output).toContain('tracking has ended');
    const started = /POST \/vkyc for (\S+)/.exec(output)?.[1];
    expect(started).toBeDefined();
    expect(output).toContain('the channel received the tracking card (no phone, no name, no customer link)');
    expect(output).not.toMatch(/98765|Demo Customer/);
    expect(output).toMatch(/Video KYC `[^`]+`: the customer failed a pre-call check\. The customer's microphone is not enabled\./);
    const dmQr = decodeQr(readFileSync(join(dir, 'data', 'demo-vkyc-qr.png')))?.text;
    expect(dmQr).toMatch(/^https?:\/\//);
    expect(output).toMatch(/Cashfree's webhook opened this card \d+ ms after the change/);
    expect(output).toMatch(/the thread heard it \d+ ms later, by push/);
    expect(output).toMatch(/200 \{"healthy":true/);
    expect(code).toBe(0);
  }, 120_000);
});
