import pg from 'pg'

/** What a listener is told: each notification's payload, and when it stopped or started hearing them. */
export interface ListenHandlers {
  notify(payload: string): void
  /** The connection is lost: notifications may be missed until `listening` is called again. */
  lost(): void
  /** Listening (again): anything sent while it was lost was missed. */
  listening(): void
}

export interface Listener {
  close(): Promise<void>
}

const RECONNECT_MS = 500

/**
 * LISTENs to `channel` on a connection of its own (outside the pool, which would hand it to other
 * queries), reconnecting every RECONNECT_MS after it is lost. The first connection is awaited.
 */
export async function listenPostgres(url: string, channel: string, handlers: ListenHandlers): Promise<Listener> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a channel name: ${channel}`)
  let closed = false
  let client: pg.Client | undefined
  let retry: NodeJS.Timeout | undefined

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url, keepAlive: true, connectionTimeoutMillis: 10_000 })
    let gone = false
    const lose = () => {
      if (gone) return
      gone = true
      next.removeAllListeners('notification')
      next.end().catch(() => {})
      if (closed) return
      handlers.lost()
      retry = setTimeout(() => void connect().catch(() => {}), RECONNECT_MS)
      retry.unref()
    }
    next.on('error', lose)
    next.on('end', lose)
    next.on('notification', (message) => {
      if (message.channel === channel) handlers.notify(message.payload ?? '')
    })
    try {
      await next.connect()
      await next.query(`listen ${channel}`)
    } catch (error) {
      lose()
      throw error
    }
    if (closed) {
      gone = true
      await next.end().catch(() => {})
      return
    }
    client = next
    handlers.listening()
  }

  await connect()
  return {
    async close() {
      closed = true
      clearTimeout(retry)
      await client?.end().catch(() => {})
    },
  }
}
