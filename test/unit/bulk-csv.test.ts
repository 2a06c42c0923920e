import { describe, expect, it } from 'vitest';
import { BULK_MAX_ROWS, csvRecords, parseBulkCsv } from '../../src/vkyc/bulk-csv.js';
import { bulkStartsPerWindow, classifyStartError } from '../../src/vkyc/bulk.js';

describe('csvRecords', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF or LF, and a byte order mark', () => {
    expect(csvRecords('\uFEFFa,"b,c","say ""hi"""\r\n"multi\nline",x\n')).toEqual([
      ['a', 'b,c', 'say "hi"'],
      ['multi\nline', 'x'],
    ]);
    expect(csvRecords('"open')).toBeUndefined();
  });
});

describe('parseBulkCsv', () => {
  it('takes a header in any column order, or none, and numbers rows as a spreadsheet does', () => {
    const withHeader = parseBulkCsv('Email,Phone,Name\nasha@example.in,+91 98765-43210,Asha\n');
    expect(withHeader).toEqual({ ok: true, rows: [{ row: 2, phone: '9876543210', name: 'Asha', email: 'asha@example.in' }], invalid: [] });
    const bare = parseBulkCsv('098765 43210\n\n7012345678,"Rao, K",\n');
    expect(bare).toEqual({
      ok: true,
      rows: [
        { row: 1, phone: '9876543210', name: undefined, email: undefined },
        { row: 3, phone: '7012345678', name: 'Rao, K', email: undefined },
      ],
      invalid: [],
    });
  });

  it('gives each bad row its number and a reason, never its values', () => {
    const parsed = parseBulkCsv(['phone,name,email', ',No Phone,', '12345,,', '9876543210,<b>,', '9876543211,,nope', '9876543212,a,b@c.in,extra', '9876543213', '+919876543213'].join('\n'));
    expect(parsed).toMatchObject({
      ok: true,
      invalid: [
        { row: 2, reason: 'phone_missing' },
        { row: 3, reason: 'phone_invalid' },
        { row: 4, reason: 'name_invalid' },
        { row: 5, reason: 'email_invalid' },
        { row: 6, reason: 'too_many_fields' },
        { row: 8, reason: 'duplicate_phone:7' },
      ],
    });
    expect(JSON.stringify(parsed.ok ? parsed.invalid : [])).not.toMatch(/No Phone|12345|nope/);
  });

  it('refuses a file it cannot use as a whole', () => {
    expect(parseBulkCsv('')).toEqual({ ok: false, problem: 'empty' });
    expect(parseBulkCsv('phone,name\n')).toEqual({ ok: false, problem: 'empty' });
    expect(parseBulkCsv('name,email\nAsha,a@b.in\n')).toEqual({ ok: false, problem: 'no_phone_column' });
    expect(parseBulkCsv('"9876543210,Asha\n')).toEqual({ ok: false, problem: 'unclosed_quote' });
    const many = Array.from({ length: BULK_MAX_ROWS + 1 }, (_, i) => `9${String(i).padStart(9, '0')}`).join('\n');
    expect(parseBulkCsv(many)).toEqual({ ok: false, problem: 'too_many_rows' });
  });
});

describe('bulk decisions', () => {
  it('spends at most a quarter of the budget on starts, and at least one a window', () => {
    expect(bulkStartsPerWindow(90)).toBe(22);
    expect(bulkStartsPerWindow(2)).toBe(1);
  });

  it("reads Cashfree's 409 for a verification id as already started, a field refusal as the row's, the rest as worth retrying", () => {
    expect(classifyStartError({ status: 409, code: 'verification_id_already_exists', message: 'verification_id already exists' })).toBe('already_started');
    expect(classifyStartError({ status: 400, code: 'phone_value_invalid', message: 'phone' })).toBe('row_refused');
    expect(classifyStartError({ status: 422, code: 'insufficient_balance', message: 'balance' })).toBe('row_refused');
    expect(classifyStartError({ status: 503, code: 'request_failed', message: 'down' })).toBe('try_again');
    expect(classifyStartError({ status: 429, code: 'too_many_requests_per_operation', message: 'slow down' })).toBe('try_again');
    expect(classifyStartError({ status: 0, code: 'timeout', message: 'timeout' })).toBe('try_again');
  });
});
