/** Progress goes to stderr; stdout carries only the result table. */
export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`)
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
