/**
 * Structured JSON logs (pino). Secrets are redacted by configuration as a safety net:
 * the gateway never logs them on purpose, and these paths make sure it cannot by accident.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from '../config.js';

export const REDACTED_PATHS = [
  'secretKey',
  'accessKey',
  'accessToken',
  'refreshToken',
  'signature',
  'authorization',
  '*.secretKey',
  '*.accessKey',
  '*.accessToken',
  '*.refreshToken',
  '*.signature',
  '*.authorization',
  'headers["x-api-key"]',
  'headers["x-signature"]',
  'variables.input.signature',
];

export function createLogger(level: Config['logLevel'], destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'kspay-gateway' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

export type { Logger };
