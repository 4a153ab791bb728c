import { ConfigError } from '../config/config-error.js';
import { UsageError } from './args.js';
import { brokerCommand, EXIT } from './broker-command.js';
import type { CliIo } from './cli-io.js';
import { clusterDownCommand } from './cluster-down.js';
import { clusterUpCommand } from './cluster-up.js';
import { perfConsumeCommand, perfProduceCommand } from './perf/perf-command.js';
import { CLUSTER_USAGE, MAIN_USAGE, PERF_USAGE } from './usage.js';

type Command = (args: readonly string[], io: CliIo) => Promise<number>;

/** A command with subcommands (`cluster up`, `perf produce`): its usage alone is help, an unknown one a usage error. */
function commandGroup(group: string, usage: string, commands: Readonly<Record<string, Command>>): Command {
  return async (args, io) => {
    const [sub, ...rest] = args;
    if (sub === undefined || sub === '--help' || sub === '-h') {
      (sub === undefined ? io.stderr : io.stdout)(usage);
      return sub === undefined ? EXIT.USAGE : EXIT.OK;
    }
    const command = commands[sub];
    if (command === undefined) throw new UsageError(`unknown ${group} command '${sub}'`, usage);
    return await command(rest, io);
  };
}

const clusterCommand = commandGroup('cluster', CLUSTER_USAGE, { up: clusterUpCommand, down: clusterDownCommand });
const perfCommand = commandGroup('perf', PERF_USAGE, {
  produce: perfProduceCommand,
  consume: perfConsumeCommand,
});

const COMMANDS: Readonly<Record<string, Command>> = { broker: brokerCommand, cluster: clusterCommand, perf: perfCommand };

/** Runs the `streamkeeper` command line; resolves the exit status (0 ok, 1 failure, 2 usage or configuration error). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      (name === undefined ? io.stderr : io.stdout)(MAIN_USAGE);
      return name === undefined ? EXIT.USAGE : EXIT.OK;
    }
    const command = COMMANDS[name];
    if (command === undefined) throw new UsageError(`unknown command '${name}'`, MAIN_USAGE);
    return await command(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`streamkeeper: ${err.message}\n\n${err.usage}`);
      return EXIT.USAGE;
    }
    if (err instanceof ConfigError) {
      io.stderr(`streamkeeper: invalid configuration: ${err.message}`);
      return EXIT.USAGE;
    }
    io.stderr(`streamkeeper: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return EXIT.FAILURE;
  }
}
