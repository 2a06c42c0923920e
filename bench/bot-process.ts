import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The compiled entry point, next to this file's compiled copy (dist/bench → dist/src). */
const MAIN = fileURLToPath(new URL('../src/main.js', import.meta.url));

export interface LogLine {
  msg: string;
  level: string;
  [field: string]: unknown;
}

export interface BotProcess {
  pid: number;
  port: number;
  eventsUrl: string;
  /** Every JSON log line the bot wrote, as it arrives. */
  onLog(listener: (line: LogLine) => void): void;
  /** Resident set size now and its high-water mark, from /proc/<pid>/status, in MB. */
  memory(): { rssMb: number; hwmMb: number };
  stop(): Promise<void>;
}

/** The Node flags `npm start` passes (package.json's start script), so the bench runs the bot exactly as operators do. */
export function startFlags(): string[] {
  const pkg: unknown = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8'));
  const start = typeof pkg === 'object' && pkg !== null && 'scripts' in pkg ? (pkg.scripts as Record<string, string>)['start'] : undefined;
  return (start ?? '').split(/\s+/).filter((word) => word.startsWith('--'));
}

/**
 * Runs the bot as `npm start` does (`node <flags> dist/src/main.js`), with only the
 * given environment (and PATH/HOME), from `cwd` so no stray .env is picked up.
 */
export async function startBotProcess(env: Record<string, string>, cwd: string): Promise<BotProcess> {
  const child = spawn(process.execPath, [...startFlags(), MAIN], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const listeners: ((line: LogLine) => void)[] = [];
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  if (child.stdout !== null) {
    createInterface({ input: child.stdout }).on('line', (text) => {
      const line = parseLogLine(text);
      if (line !== undefined) for (const listener of listeners) listener(line);
    });
  }
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bot did not start within 15 s: ${stderr.join('')}`)), 15_000);
    listeners.push((line) => {
      if (line.msg === 'bot ready' && typeof line['port'] === 'number') {
        clearTimeout(timer);
        resolve(line['port']);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bot exited with ${code} before it was ready: ${stderr.join('')}`));
    });
  });
  const pid = child.pid ?? 0;
  return {
    pid,
    port,
    eventsUrl: `http://127.0.0.1:${port}/slack/events`,
    onLog: (listener) => void listeners.push(listener),
    memory: () => readMemory(pid),
    stop: () => stopChild(child),
  };
}

function parseLogLine(text: string): LogLine | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || !('msg' in parsed) || typeof parsed.msg !== 'string') return undefined;
    return { level: '', ...parsed, msg: parsed.msg };
  } catch {
    return undefined;
  }
}

function readMemory(pid: number): { rssMb: number; hwmMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

/** SIGTERM (the bot's graceful shutdown), then SIGKILL if it has not exited within 3 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}
