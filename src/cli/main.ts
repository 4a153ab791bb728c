#!/usr/bin/env node
import { processIo } from './cli-io.js';
import { runCli } from './run.js';

// Exit explicitly: native handles (the ZooKeeper client) may otherwise keep the process alive after a command.
const status = await runCli(process.argv.slice(2), processIo);
process.exit(status);
