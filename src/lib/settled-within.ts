/**
 * Resolves once `work` settles (fulfilled or rejected alike) or `ms` have passed, whichever comes
 * first; `work` itself goes on. The timer is cleared, so it never keeps the process alive.
 */
export async function settledWithin(work: Promise<unknown>, ms: number): Promise<'settled' | 'timed_out'> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'timed_out'>((resolve) => {
    timer = setTimeout(() => resolve('timed_out'), ms)
  })
  try {
    return await Promise.race([work.then(settled, settled), timeout])
  } finally {
    clearTimeout(timer)
  }
}

const settled = () => 'settled' as const
