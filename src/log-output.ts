import type { Config } from './config.js'

/** Where log lines go: standard output as JSON lines, or as readable text for a person. */
export interface LogOutput {
  write(line: string): void
}

/** Whether logs are written as text: `pretty`, or `auto` on a terminal. */
export function logsAsText(format: Config['logFormat'], terminal: boolean): boolean {
  return format === 'pretty' || (format === 'auto' && terminal)
}

/**
 * The log destination for `format`: undefined for JSON (pino's own, standard output), or a
 * synchronous pino-pretty stream writing one readable line per entry ("[12:00:01] INFO: …"). The
 * formatter is loaded only when used. Members under `details` are left out of the text: they
 * repeat what the message already says, for collectors reading JSON.
 */
export async function logOutput(format: Config['logFormat'], terminal: boolean): Promise<LogOutput | undefined> {
  if (!logsAsText(format, terminal)) return undefined
  const { default: pretty } = await import('pino-pretty')
  return pretty({
    colorize: terminal,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,details',
    singleLine: true,
    sync: true,
  })
}
