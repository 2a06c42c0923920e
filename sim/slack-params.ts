/** Fields @slack/web-api sends as a JSON string inside a form field. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'files', 'file_uploads', 'file_ids', 'view']);

export interface ParsedBody {
  params: Record<string, unknown>;
  /** Binary parts of a multipart body, by field name. */
  binaries: Record<string, Buffer>;
}

function decodeField(name: string, value: string): unknown {
  if (!JSON_FIELDS.has(name)) return value;
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed;
  } catch {
    return value;
  }
}

function decodeFields(entries: Iterable<[string, string]>): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [name, value] of entries) params[name] = decodeField(name, value);
  return params;
}

async function parseMultipart(raw: Buffer, contentType: string): Promise<ParsedBody> {
  const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
  const texts: [string, string][] = [];
  const binaries: Record<string, Buffer> = {};
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') texts.push([name, value]);
    else binaries[name] = Buffer.from(await value.arrayBuffer());
  }
  return { params: { ...decodeFields(texts), ...binaries }, binaries };
}

function parseJsonObject(raw: Buffer): Record<string, unknown> {
  const parsed: unknown = JSON.parse(raw.toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
  return Object.fromEntries(Object.entries(parsed));
}

/** Reads a Web API request body: form-urlencoded (what web-api 8 sends), multipart/form-data or JSON. */
export async function parseSlackBody(raw: Buffer, contentType: string | undefined): Promise<ParsedBody> {
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data') && contentType) return parseMultipart(raw, contentType);
  if (type.startsWith('application/json')) return { params: raw.length ? parseJsonObject(raw) : {}, binaries: {} };
  return { params: decodeFields(new URLSearchParams(raw.toString('utf8'))), binaries: {} };
}

export function stringParam(params: Record<string, unknown>, name: string): string | undefined {
  const value = params[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
