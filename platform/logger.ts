import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger };

/** The one logger: JSON lines on stdout, one child per request carrying its request id. */
export function createLogger(config: Pick<Config, 'logLevel'>, role: string, destination?: DestinationStream): Logger {
  const options = {
    level: config.logLevel,
    base: { role, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['password', '*.password', 'refresh_token', '*.refresh_token', 'req.headers.authorization', 'req.headers.cookie'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
