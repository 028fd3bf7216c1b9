import { credentialText } from '../../i18n/credentials.js'
import { Badge, below, DateText, Facts, fill, Heading } from './common.js'
import type { DetailsProps } from './details.js'
import { objects, text, type Fields } from './read.js'

/** Newest first: by start month, descending; on equal starts, a current role before an ended one. */
function newestFirst(a: Fields, b: Fields): number {
  const [startA, startB] = [text(a, 'start_date') ?? '', text(b, 'start_date') ?? '']
  if (startA !== startB) return startA < startB ? 1 : -1
  return Number(Boolean(text(a, 'end_date'))) - Number(Boolean(text(b, 'end_date')))
}

/** A career history: a timeline of roles, newest first, current roles marked, with how fresh the data is. */
export function CareerHistoryDetails({ ctx, credential, level, hideName }: DetailsProps) {
  const t = credentialText(ctx.locale)
  const f = credential.fields
  const jobs = objects(f, 'employment').sort(newestFirst)
  const [sectionLevel, roleLevel] = [below(level), below(below(level))]
  return (
    <>
      <Facts facts={[[t('fullName'), !hideName && text(f, 'full_name')]]} />
      {jobs.length > 0 && (
        <section>
          <Heading level={sectionLevel} class="subhead">
            {t('employment')}
          </Heading>
          <ol class="timeline">
            {jobs.map((job) => {
              const [title, classification] = [text(job, 'role_title'), text(job, 'role_classification')]
              const [start, end, updated] = [
                text(job, 'start_date'),
                text(job, 'end_date'),
                text(job, 'last_processed_month'),
              ]
              const startText = start && <DateText ctx={ctx} value={start} />
              return (
                <li>
                  <Heading level={roleLevel} class="role">
                    {title ?? classification ?? text(job, 'organisation')}
                  </Heading>
                  {!end && <Badge tone="good">{t('currentRole')}</Badge>}
                  <p class="organisation">{text(job, 'organisation')}</p>
                  {start && (
                    <p class="period">
                      {end
                        ? fill(t('periodEnded'), { start: startText, end: <DateText ctx={ctx} value={end} /> })
                        : fill(t('periodCurrent'), { start: startText })}
                    </p>
                  )}
                  {title && classification && <Facts facts={[[t('roleClassification'), classification]]} />}
                  {updated && (
                    <p class="hint">{fill(t('dataUpdated'), { month: <DateText ctx={ctx} value={updated} /> })}</p>
                  )}
                </li>
              )
            })}
          </ol>
        </section>
      )}
    </>
  )
}
