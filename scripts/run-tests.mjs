#!/usr/bin/env node
// Runs the compiled tests (dist/test/**/*.test.js) with node's test runner and exits with its status.
//   node scripts/run-tests.mjs [FILTER ...] [--node-test-option ...]
// A FILTER keeps the files whose path contains it (test/config, cli-process, storage/log-segment ...).
// Arguments starting with "--" go to `node --test` (e.g. --test-name-pattern=retention).
// Unit tests run first, then the ones that start processes (integration, docker, cli). Compiled files whose
// TypeScript source no longer exists are skipped. STREAMKEEPER_TEST_CONCURRENCY overrides the concurrency (2).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const distTest = join(root, 'dist', 'test');
const SLOW = ['integration', 'docker', 'cli'];

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? walk(path) : e.name.endsWith('.test.js') ? [path] : [];
  });
}

if (!existsSync(distTest)) {
  console.error('run-tests: dist/test is missing; run `npm run build` (or `bash scripts/setup.sh`) first');
  process.exit(1);
}

const args = process.argv.slice(2);
const nodeOptions = args.filter((a) => a.startsWith('--'));
const filters = args.filter((a) => !a.startsWith('--'));

const isSlow = (rel) => SLOW.includes(rel.split(sep)[0] ?? '');
const files = walk(distTest)
  .map((path) => ({ path, rel: relative(distTest, path) }))
  .filter(({ rel }) => existsSync(join(root, 'test', rel.replace(/\.js$/, '.ts'))))
  .filter(({ path, rel }) => filters.length === 0 || filters.some((f) => join('test', rel).includes(f.replace(/\.ts$/, '')) || path.includes(f)))
  .sort((a, b) => Number(isSlow(a.rel)) - Number(isSlow(b.rel)) || a.rel.localeCompare(b.rel))
  .map(({ path }) => path);

if (files.length === 0) {
  console.error(`run-tests: no compiled test files match ${filters.join(' ') || '(all)'}`);
  process.exit(1);
}

const concurrency = process.env.STREAMKEEPER_TEST_CONCURRENCY ?? '2';
console.log(`run-tests: ${files.length} test files, concurrency ${concurrency}`);
const result = spawnSync(process.execPath, ['--test', `--test-concurrency=${concurrency}`, ...nodeOptions, ...files], {
  cwd: root,
  stdio: 'inherit',
});
if (result.error) {
  console.error(`run-tests: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
