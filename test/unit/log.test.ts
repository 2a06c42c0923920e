import { describe, expect, it } from 'vitest';
import { createLogger, redactText } from '../../src/log.js';

describe('logger', () => {
  it('writes one JSON line per call, at or above its level', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', write: (line) => lines.push(line) });
    logger.debug('hidden');
    logger.info('shown', { n: 1 });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ level: 'info', msg: 'shown', n: 1 });
  });

  it('redacts known secrets, secret-named fields, tokens and pre-signed URLs', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', secrets: ['s3cr3t-value'], write: (line) => lines.push(line) });
    logger.error('failed with s3cr3t-value', {
      client_secret: 'anything',
      headers: { 'x-cf-signature': 'abc', authorization: 'Bearer xoxb-1-2' },
      text: 'token xoxb-123-456 and https://bucket.s3.amazonaws.com/v.mp4?X-Amz-Signature=deadbeef',
      error: new Error('boom s3cr3t-value'),
    });
    const line = lines.join('\n');
    for (const secret of ['s3cr3t-value', 'anything', 'abc"', 'xoxb-', 'X-Amz', 'deadbeef']) expect(line).not.toContain(secret);
    expect(redactText('v0=' + 'a'.repeat(64), [])).toBe('[redacted]');
  });
});
