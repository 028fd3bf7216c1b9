import { createElement, type ComponentChildren } from 'preact'
import { credentialText } from '../../i18n/credentials.js'
import { templatePieces } from '../../i18n/index.js'
import type { PageContext } from '../page-context.js'
import { formatDate, isDateValue } from './format.js'

/** Heading levels a card and its parts may use (the page decides where the card sits). */
export type HeadingLevel = 1 | 2 | 3 | 4 | 5 | 6

/** The level below `level` (capped at 6). */
export function below(level: HeadingLevel): HeadingLevel {
  return Math.min(level + 1, 6) as HeadingLevel
}

/** A heading of the given level. */
export function Heading({
  level,
  class: className,
  children,
}: {
  level: HeadingLevel
  class?: string
  children: ComponentChildren
}) {
  return createElement(`h${level}`, { class: className }, children)
}

/** A stored date for people, in a `<time>` element when its shape is a date. */
export function DateText({ ctx, value }: { ctx: PageContext; value: string }) {
  const shown = formatDate(ctx, value)
  return isDateValue(value) ? <time dateTime={value}>{shown}</time> : shown
}

/**
 * A translated template with `{name}` placeholders filled by elements (a `<time>`, a link), so
 * markup never goes through a string. Unknown placeholders stay as written.
 */
export function fill(template: string, parts: Record<string, ComponentChildren>): ComponentChildren[] {
  return templatePieces(template).map((piece, i) => {
    if (i % 2 === 0) return piece
    return Object.hasOwn(parts, piece) ? parts[piece] : `{${piece}}`
  })
}

/** One fact: a label and its value; a missing value (undefined, null, false, '') hides the fact. */
export type Fact = readonly [label: string, value: ComponentChildren]

/** A `dl.facts` of the facts that have a value; nothing when none has. */
export function Facts({ facts }: { facts: readonly Fact[] }) {
  const shown = facts.filter(([, value]) => value !== undefined && value !== null && value !== false && value !== '')
  if (shown.length === 0) return null
  return (
    <dl class="facts">
      {shown.map(([label, value]) => (
        <>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </>
      ))}
    </dl>
  )
}

/** A status badge; `tone` picks its colours (text is always there: colour is never the only cue). */
export function Badge({ tone, children }: { tone: 'good' | 'warn' | 'bad' | 'neutral'; children: ComponentChildren }) {
  return <span class={`badge ${tone}`}>{children}</span>
}

/** Whether a cell has something to show. */
const filled = (cell: ComponentChildren) => cell !== null && cell !== undefined && cell !== '' && cell !== false

/**
 * A table whose first column names each row (a `th scope="row"`). It scrolls sideways on narrow
 * screens inside a focusable, labelled region, so keyboard users can scroll it too. A table of
 * more than three columns (a transcript) is also written as a list of small cards, one a row, each
 * value under its column's name: on a phone (holder.css) the cards are shown instead of the table,
 * which would show one column and hide the rest to the side.
 */
export function DataTable({
  caption,
  columns,
  rows,
}: {
  caption: string
  columns: readonly string[]
  rows: readonly ComponentChildren[][]
}) {
  if (rows.length === 0) return null
  const cards = columns.length > 3
  const table = (
    // A scrolling region must be reachable by keyboard (WCAG 2.1.1; axe "scrollable-region-focusable").
    // biome-ignore lint/a11y/noNoninteractiveTabindex: focusable so a keyboard user can scroll it
    <section class={cards ? 'table-scroll table-wide' : 'table-scroll'} tabIndex={0} aria-label={caption}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th scope="col">{column}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(([first, ...rest]) => (
            <tr>
              <th scope="row">{first}</th>
              {rest.map((cell) => (
                <td>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
  if (!cards) return table
  return (
    <>
      {table}
      <section class="table-cards" aria-label={caption}>
        <p class="caption">{caption}</p>
        <ul>
          {rows.map(([first, ...rest]) => (
            <li>
              <p class="card-row-title">{first}</p>
              <dl>
                {rest.map(
                  (cell, index) =>
                    filled(cell) && (
                      <div>
                        <dt>{columns[index + 1]}</dt>
                        <dd>{cell}</dd>
                      </div>
                    ),
                )}
              </dl>
            </li>
          ))}
        </ul>
      </section>
    </>
  )
}

/**
 * "Issued by {issuer} via {chain}". The stored chain runs from the partner towards the issuer;
 * the sentence follows the credential's own journey, from the issuer out to the partner, so the
 * chain is read in reverse: the intermediary nearest the issuer comes first.
 */
export function IssuedBy({
  ctx,
  issuer,
  chain,
}: {
  ctx: PageContext
  issuer: string | null
  chain: ReadonlyArray<{ name: string }>
}) {
  const t = credentialText(ctx.locale)
  const names = chain
    .map((link) => link?.name)
    .filter((name): name is string => typeof name === 'string' && name.trim() !== '')
  // A plain comma list: "and" would suggest parallel senders rather than one path.
  const via = [...names].reverse().join(', ')
  const line = issuer
    ? names.length > 0
      ? t('issuedByVia', { issuer, chain: via })
      : t('issuedBy', { issuer })
    : names.length > 0
      ? t('via', { chain: via })
      : null
  return line ? <p class="issuer">{line}</p> : null
}
