import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const created: string[] = [];

/** A fresh temp directory for one measure's databases; removed at the end of the run. */
export function scratchDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `kyc-bench-${label}-`));
  created.push(dir);
  return dir;
}

export function removeScratchDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}
