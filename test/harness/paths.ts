import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file whether it runs from `test/harness` or `dist/test/harness`. */
export const repoRoot: string = ((): string => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('repository root (package.json) not found');
    dir = parent;
  }
  return dir;
})();

/** The compiled CLI entry point (STREAMKEEPER_CLI overrides it, e.g. to test an installed copy). */
export const cliPath: string = process.env['STREAMKEEPER_CLI'] ?? path.join(repoRoot, 'dist', 'src', 'cli', 'main.js');

/** A fresh temporary directory under the OS temp dir. */
export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `sk-it-${prefix}-`));
}

/** Removes `dir` unless KEEP_TEST_DIRS is set (then its path is printed). */
export function removeTempDir(dir: string): void {
  if (process.env['KEEP_TEST_DIRS'] !== undefined) {
    process.stderr.write(`KEEP_TEST_DIRS: leaving ${dir}\n`);
    return;
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A random topic name, unique per call: `<prefix>-<12 hex chars>`. */
export function randomTopic(prefix = 'it'): string {
  return `${prefix}-${Math.random().toString(16).slice(2, 8)}${Date.now().toString(16).slice(-6)}`;
}
