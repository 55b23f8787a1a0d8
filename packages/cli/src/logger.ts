// Process loggers: one JSON object per line, with the role and node id in every line.
import pino, { type Logger } from 'pino';

export function processLogger(role: string, node: string | number, level: string, file?: string): Logger {
  const destination = file ? pino.destination({ dest: file, mkdir: true, sync: false }) : pino.destination(2);
  return pino({ level, base: { role, node: String(node), pid: process.pid } }, destination);
}
