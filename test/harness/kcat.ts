import { runCommand, type CommandResult } from './run-command.js';

export const KCAT_PATH = '/usr/bin/kcat';

export type KcatResult = CommandResult;

/** Runs Debian's kcat with `args`, feeding `input` on stdin; kills it after `timeoutMs`. */
export async function kcat(args: readonly string[], opts: { readonly input?: string; readonly timeoutMs: number }): Promise<KcatResult> {
  return await runCommand(KCAT_PATH, args, opts);
}
