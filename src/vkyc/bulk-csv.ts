import { isCustomerName, isEmail, normaliseIndianMobile } from './start-form.js';

/**
 * A bulk start's CSV as data: `phone,name,email` rows (header optional, RFC 4180 quoting), each checked with the
 * `/kyc vkyc` form's rules. Problems are row numbers and reason codes, never the values: what a row held must not
 * travel further than this function.
 */

export const BULK_MAX_ROWS = 500;

/** Why a row cannot be started; the words are in src/text/words.ts (say.bulkReason). */
export type RowProblem = 'phone_missing' | 'phone_invalid' | 'name_invalid' | 'email_invalid' | 'too_many_fields' | `duplicate_phone:${number}`;

export interface BulkRow {
  /** The row as a spreadsheet numbers it: 1 is the first line, header included. */
  row: number;
  /** 10 digits. */
  phone: string;
  name: string | undefined;
  email: string | undefined;
}

export type FileProblem = 'empty' | 'too_many_rows' | 'unclosed_quote' | 'no_phone_column';

export type ParsedBulkCsv = { ok: false; problem: FileProblem } | { ok: true; rows: BulkRow[]; invalid: Array<{ row: number; reason: RowProblem }> };

const HEADERS: Record<string, 'phone' | 'name' | 'email'> = {
  phone: 'phone',
  mobile: 'phone',
  phone_number: 'phone',
  mobile_number: 'phone',
  name: 'name',
  customer_name: 'name',
  email: 'email',
  email_address: 'email',
};

/** Records of a CSV text: fields split on commas, quoted fields may hold commas, quotes ("") and line breaks. */
export function csvRecords(text: string): string[][] | undefined {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (let i = 0; i < body.length; i += 1) {
    const char = body[i];
    if (quoted) {
      if (char !== '"') field += char;
      else if (body[i + 1] === '"') {
        field += '"';
        i += 1;
      } else quoted = false;
    } else if (char === '"' && field.trim() === '' && !wasQuoted) {
      quoted = true;
      wasQuoted = true;
      field = '';
    } else if (char === ',') {
      record.push(field);
      field = '';
      wasQuoted = false;
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && body[i + 1] === '\n') i += 1;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      wasQuoted = false;
    } else field += char;
  }
  if (quoted) return undefined;
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

const headerName = (field: string) => HEADERS[field.trim().toLowerCase().replace(/[\s-]+/g, '_')];

/** Reads and checks every row at once, so the agent sees every problem in one go. */
export function parseBulkCsv(text: string): ParsedBulkCsv {
  const records = csvRecords(text);
  if (records === undefined) return { ok: false, problem: 'unclosed_quote' };
  const first = records[0];
  const header = first !== undefined && first.some((f) => headerName(f) !== undefined) && normaliseIndianMobile(first[0] ?? '') === undefined;
  const columns = header ? (first ?? []).map(headerName) : (['phone', 'name', 'email'] as const);
  if (!columns.includes('phone')) return { ok: false, problem: 'no_phone_column' };
  const numbered = records.map((fields, index) => ({ row: index + 1, fields })).slice(header ? 1 : 0);
  const data = numbered.filter(({ fields }) => fields.some((f) => f.trim() !== ''));
  if (data.length === 0) return { ok: false, problem: 'empty' };
  if (data.length > BULK_MAX_ROWS) return { ok: false, problem: 'too_many_rows' };

  const rows: BulkRow[] = [];
  const invalid: Array<{ row: number; reason: RowProblem }> = [];
  const firstRowOf = new Map<string, number>();
  for (const { row, fields } of data) {
    const value = (column: 'phone' | 'name' | 'email') => {
      const at = columns.indexOf(column);
      const trimmed = at === -1 ? undefined : fields[at]?.trim();
      return trimmed === '' ? undefined : trimmed;
    };
    const extra = fields.slice(columns.length).some((f) => f.trim() !== '');
    const phoneText = value('phone');
    const phone = phoneText === undefined ? undefined : normaliseIndianMobile(phoneText);
    const name = value('name');
    const email = value('email');
    let reason: RowProblem | undefined;
    if (extra) reason = 'too_many_fields';
    else if (phoneText === undefined) reason = 'phone_missing';
    else if (phone === undefined) reason = 'phone_invalid';
    else if (name !== undefined && !isCustomerName(name)) reason = 'name_invalid';
    else if (email !== undefined && !isEmail(email)) reason = 'email_invalid';
    else if (firstRowOf.has(phone)) reason = `duplicate_phone:${firstRowOf.get(phone) ?? 0}`;
    if (reason !== undefined || phone === undefined) {
      invalid.push({ row, reason: reason ?? 'phone_missing' });
      continue;
    }
    firstRowOf.set(phone, row);
    rows.push({ row, phone, name, email });
  }
  return { ok: true, rows, invalid };
}
