import { Broker } from '../broker.js';
import type { BrokerConfig } from '../config/broker-config.js';
import { ConfigError } from '../config/config-error.js';
import { loadBrokerConfig } from '../config/load-broker-config.js';
import { setLogLevel } from '../util/logger.js';
import { parseOptions } from './args.js';
import type { ParsedOptions } from './args.js';
import { firstSignal } from './cli-io.js';
import type { CliIo } from './cli-io.js';
import { BROKER_USAGE } from './usage.js';

export const EXIT = { OK: 0, FAILURE: 1, USAGE: 2 } as const;

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const BROKER_OPTIONS = { config: { type: 'string' }, override: { type: 'string', multiple: true } } as const;

/** Loads the configuration for `streamkeeper broker`; prints the error and returns undefined when it is invalid. */
export function loadCliConfig(opts: ParsedOptions, io: CliIo): BrokerConfig | undefined {
  try {
    return loadBrokerConfig({ file: opts.string('config'), env: io.env, overrides: opts.strings('override') });
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr(`streamkeeper: invalid configuration: ${err.message}`);
      return undefined;
    }
    throw err;
  }
}

/**
 * `streamkeeper broker`: load the config, start the broker, run until SIGTERM/SIGINT, shut down.
 * Exit status 2 for an invalid configuration, 1 for a start-up or shutdown failure, 0 after a clean shutdown.
 */
export async function brokerCommand(args: readonly string[], io: CliIo): Promise<number> {
  const opts = parseOptions(args, BROKER_OPTIONS, BROKER_USAGE);
  if (opts.help) {
    io.stdout(BROKER_USAGE);
    return EXIT.OK;
  }
  const config = loadCliConfig(opts, io);
  if (config === undefined) return EXIT.USAGE;
  setLogLevel(config.logLevel);

  // Listen for signals before starting, so a SIGTERM during start-up still ends in a clean shutdown.
  const stop = firstSignal(['SIGTERM', 'SIGINT'], (signal) => {
    io.stderr(`streamkeeper: ${signal} again during shutdown; exiting without a clean shutdown`);
    process.exit(EXIT.FAILURE);
  });

  let broker: Broker;
  try {
    broker = await Broker.start(config);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr(`streamkeeper: invalid configuration: ${err.message}`);
      return EXIT.USAGE;
    }
    io.stderr(`streamkeeper: broker ${config.brokerId} failed to start: ${reason(err)}`);
    return EXIT.FAILURE;
  }

  const signal = await stop;
  io.stderr(`streamkeeper: ${signal} received, shutting down broker ${config.brokerId}`);
  try {
    await broker.shutdown();
  } catch (err) {
    io.stderr(`streamkeeper: shutdown of broker ${config.brokerId} failed: ${reason(err)}`);
    return EXIT.FAILURE;
  }
  return EXIT.OK;
}
