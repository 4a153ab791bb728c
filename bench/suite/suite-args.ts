/**
 * Command line of the benchmark suite:
 *   node dist/bench/suite/run-suite.js [--only P1,P3] [--quick] [--data-dir DIR] [--profile-dir DIR] [--help]
 */
import { parseArgs } from 'node:util';

export const SCENARIO_IDS = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'P9'] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

export interface SuiteArgs {
  /** Scenarios to run, in suite order (the limits are always measured). */
  readonly only: readonly ScenarioId[];
  /** Short runs and the small partition counts only: a smoke check, not a measurement. */
  readonly quick: boolean;
  /** Parent of the suite's working directory; undefined = the default (./bench-data under the repository). */
  readonly dataDir: string | undefined;
  /** When set, the P1/P3 leader runs under bench/profiled-broker.js and its CPU profiles land here. */
  readonly profileDir: string | undefined;
  readonly help: boolean;
}

export const SUITE_USAGE = `usage: npm run bench -- [options]
       node dist/bench/suite/run-suite.js [options]
  --only P1,P3       run only these scenarios (${SCENARIO_IDS.join(' ')}); the fs and loopback limits always run
  --quick            short runs and small partition counts (a smoke check; figures are not meaningful)
  --data-dir DIR     where the fs limit is measured and the brokers, ZooKeeper and NATS keep their data
                     (default: ./bench-data under the repository, on the same disk as the repository)
  --profile-dir DIR  CPU-profile the partition leader during P1 and P3 and print its top frames
  --help             this text
The table goes to stdout, progress to stderr.`;

export class SuiteUsageError extends Error {}

/** Parses `--only P1,p3` style lists; throws SuiteUsageError naming an unknown id. */
export function parseOnly(text: string): ScenarioId[] {
  const wanted = new Set<ScenarioId>();
  for (const raw of text.split(',')) {
    const id = raw.trim().toUpperCase();
    if (id === '') continue;
    const known = SCENARIO_IDS.find((s) => s === id);
    if (known === undefined) throw new SuiteUsageError(`--only: unknown scenario '${raw.trim()}' (known: ${SCENARIO_IDS.join(', ')})`);
    wanted.add(known);
  }
  if (wanted.size === 0) throw new SuiteUsageError('--only needs at least one scenario, e.g. --only P1,P3');
  return SCENARIO_IDS.filter((s) => wanted.has(s));
}

export function parseSuiteArgs(argv: readonly string[]): SuiteArgs {
  let values: { only?: string | undefined; quick?: boolean | undefined; 'data-dir'?: string | undefined; 'profile-dir'?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        only: { type: 'string' },
        quick: { type: 'boolean' },
        'data-dir': { type: 'string' },
        'profile-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new SuiteUsageError(err instanceof Error ? err.message : String(err));
  }
  const nonEmpty = (name: string, v: string | undefined): string | undefined => {
    if (v !== undefined && v.trim() === '') throw new SuiteUsageError(`--${name} needs a directory`);
    return v;
  };
  return {
    only: values.only === undefined ? [...SCENARIO_IDS] : parseOnly(values.only),
    quick: values.quick === true,
    dataDir: nonEmpty('data-dir', values['data-dir']),
    profileDir: nonEmpty('profile-dir', values['profile-dir']),
    help: values.help === true,
  };
}
