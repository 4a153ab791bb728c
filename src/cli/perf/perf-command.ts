/** `streamkeeper perf produce` and `streamkeeper perf consume`: option parsing, progress lines, the summary. */
import type { Clock } from '../../util/clock.js';
import { EXIT } from '../broker-command.js';
import type { CliIo } from '../cli-io.js';
import { PERF_CONSUME_USAGE, PERF_PRODUCE_USAGE } from '../usage.js';
import { ConsumerPerf } from './consumer-perf.js';
import { PerfCluster } from './perf-cluster.js';
import { PerfError } from './perf-error.js';
import { parseConsumerPerfArgs, parseProducerPerfArgs, type HostPort } from './perf-options.js';
import { consumerProgressLine, consumerSummaryLine, errorsText, producerProgressLine, producerSummaryLine } from './perf-report.js';
import type { PerfStats, WindowStats } from './perf-stats.js';
import { ProducerPerf } from './producer-perf.js';

const PROGRESS_INTERVAL_MS = 5_000;
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** Wall-clock milliseconds with sub-millisecond resolution (latencies), and timers that keep the process alive. */
export const perfClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  schedule(ms, fn) {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};

/**
 * Runs `work` with a progress line every PROGRESS_INTERVAL_MS and Ctrl-C / SIGTERM turned into an abort (the
 * run then stops early and still reports what it did).
 */
async function withProgress<T>(clock: Clock, progress: () => void, work: (signal: AbortSignal) => Promise<T>): Promise<T | PerfError> {
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  let cancel = (): void => undefined;
  const tick = (): void => {
    progress();
    cancel = clock.schedule(PROGRESS_INTERVAL_MS, tick);
  };
  cancel = clock.schedule(PROGRESS_INTERVAL_MS, tick);
  try {
    return await work(stop.signal);
  } catch (err) {
    if (err instanceof PerfError) return err;
    throw err;
  } finally {
    cancel();
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
  }
}

interface PerfRun<R> {
  readonly stats: PerfStats;
  run(signal: AbortSignal): Promise<R>;
}

/** Runs one perf tool against the topic's cluster: progress lines, the report, the errors seen; exit status. */
async function runPerf<R>(
  io: CliIo,
  clock: Clock,
  target: { readonly command: string; readonly topic: string; readonly bootstrap: readonly HostPort[] },
  create: (cluster: PerfCluster) => PerfRun<R>,
  progressLine: (w: WindowStats) => string,
  report: (result: R) => number,
): Promise<number> {
  const cluster = new PerfCluster(target.topic, target.bootstrap, clock);
  const perf = create(cluster);
  try {
    const result = await withProgress(clock, () => io.stdout(progressLine(perf.stats.takeWindow(clock.now()))), async (signal) => await perf.run(signal));
    if (result instanceof PerfError) {
      io.stderr(`streamkeeper: perf ${target.command}: ${result.message}`);
      return EXIT.FAILURE;
    }
    const status = report(result);
    if (perf.stats.errors.size > 0) io.stdout(`errors (each retry counted): ${errorsText(perf.stats.errors)}`);
    return status;
  } finally {
    cluster.close();
  }
}

export async function perfProduceCommand(args: readonly string[], io: CliIo, clock: Clock = perfClock): Promise<number> {
  const options = parseProducerPerfArgs(args);
  if (options === undefined) {
    io.stdout(PERF_PRODUCE_USAGE);
    return EXIT.OK;
  }
  const withLatency = options.acks !== 0;
  const create = (cluster: PerfCluster): ProducerPerf => new ProducerPerf(options, clock, cluster);
  return await runPerf(io, clock, { command: 'produce', ...options }, create, (w) => producerProgressLine(w, withLatency), (result) => {
    const { stats } = result;
    io.stdout(producerSummaryLine({ records: stats.records, bytes: stats.bytes, elapsedMs: result.elapsedMs, latency: withLatency ? stats.latency : undefined }));
    const what = withLatency ? `acknowledged (acks=${options.acks === -1 ? 'all' : '1'})` : 'written to the socket (acks=0)';
    const unsent = options.numRecords - stats.records - stats.failedRecords;
    io.stdout(`${stats.records} of ${options.numRecords} records ${what}, ${stats.failedRecords} failed${unsent > 0 ? `, ${unsent} not sent` : ''}${result.aborted ? ' (interrupted)' : ''}.`);
    return stats.records === options.numRecords ? EXIT.OK : EXIT.FAILURE;
  });
}

export async function perfConsumeCommand(args: readonly string[], io: CliIo, clock: Clock = perfClock): Promise<number> {
  const options = parseConsumerPerfArgs(args);
  if (options === undefined) {
    io.stdout(PERF_CONSUME_USAGE);
    return EXIT.OK;
  }
  const create = (cluster: PerfCluster): ConsumerPerf => new ConsumerPerf(options, clock, cluster);
  return await runPerf(io, clock, { command: 'consume', ...options }, create, consumerProgressLine, (result) => {
    const { stats } = result;
    io.stdout(consumerSummaryLine({ records: stats.records, bytes: stats.bytes, elapsedMs: result.elapsedMs, firstRecordMs: result.firstRecordMs, partitions: result.partitions }));
    if (result.timedOut) io.stdout(`timed out: no record for ${options.timeoutMs} ms; ${stats.records} of ${options.messages} records consumed.`);
    else if (result.aborted) io.stdout(`interrupted: ${stats.records} of ${options.messages} records consumed.`);
    return stats.records >= options.messages ? EXIT.OK : EXIT.FAILURE;
  });
}
