import type { PageContext } from '../page-context.js'
import { credentialText } from '../../i18n/credentials.js'
import { Badge, below, DataTable, DateText, Facts, Heading, type HeadingLevel } from './common.js'
import type { DetailsProps } from './details.js'
import { formatList } from './format.js'
import { object, objects, text, texts, type Fields } from './read.js'

/** An education qualification: conferral (or "Awaiting graduation"), honours, majors and the transcript. */
export function EducationDetails({ ctx, credential, level, hideName }: DetailsProps) {
  const t = credentialText(ctx.locale)
  const f = credential.fields
  const year = text(f, 'conferral_year')
  const majors = texts(f, 'majors')
  const transcript = object(f, 'transcript')
  return (
    <>
      <Facts
        facts={[
          [t('fullName'), !hideName && text(f, 'full_name')],
          [t('conferralYear'), year && <DateText ctx={ctx} value={year} />],
          [
            t('graduation'),
            !year && f.awaiting_graduation === true && <Badge tone="neutral">{t('awaitingGraduation')}</Badge>,
          ],
          [t('honours'), f.with_honours === true && t('yes')],
          [t('majors'), majors.length > 0 && formatList(ctx.locale, majors)],
        ]}
      />
      {transcript && <Transcript ctx={ctx} transcript={transcript} level={below(level)} />}
    </>
  )
}

function Transcript({ ctx, transcript, level }: { ctx: PageContext; transcript: Fields; level: HeadingLevel }) {
  const t = credentialText(ctx.locale)
  const overall = object(transcript, 'overall')
  const issued = text(overall, 'issuance_date')
  const rows = objects(transcript, 'subjects').map((subject) => {
    const completed = text(subject, 'completion_date')
    return [
      text(subject, 'name'),
      text(subject, 'code'),
      text(subject, 'credit'),
      text(subject, 'score'),
      text(subject, 'grade'),
      completed && <DateText ctx={ctx} value={completed} />,
    ]
  })
  return (
    <section>
      <Heading level={level} class="subhead">
        {t('transcript')}
      </Heading>
      <Facts
        facts={[
          [t('transcriptIssued'), issued && <DateText ctx={ctx} value={issued} />],
          [t('overallScore'), text(overall, 'score')],
        ]}
      />
      <DataTable
        caption={t('subjectsCaption')}
        columns={[t('subject'), t('code'), t('credit'), t('score'), t('grade'), t('completed')]}
        rows={rows}
      />
    </section>
  )
}
