import winston from 'winston';

export type Logger = winston.Logger;

const LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] as const;
export type LogLevel = (typeof LEVELS)[number];

export function isLogLevel(s: string): s is LogLevel {
  return (LEVELS as readonly string[]).includes(s);
}

let root: winston.Logger | undefined;

/** The process-wide root logger: JSON lines on stderr, level from config (`log4j.root.loglevel` style names are mapped by config). */
export function rootLogger(): winston.Logger {
  root ??= winston.createLogger({
    level: process.env['STREAMKEEPER_LOG_LEVEL'] ?? 'info',
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    transports: [new winston.transports.Console({ stderrLevels: [...LEVELS] })],
  });
  return root;
}

export function setLogLevel(level: LogLevel): void {
  rootLogger().level = level;
}

/** One child logger per module, with structured context fields. */
export function moduleLogger(module: string, fields: Record<string, unknown> = {}): winston.Logger {
  return rootLogger().child({ module, ...fields });
}
