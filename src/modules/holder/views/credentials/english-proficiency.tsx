import { canonicalCefrLevel } from '../../../credential-types/index.js'
import { credentialText, hasCredentialText } from '../../i18n/credentials.js'
import { DataTable, DateText, Facts } from './common.js'
import type { DetailsProps } from './details.js'
import { object, objects, text } from './read.js'

const SKILLS = ['combined', 'reading', 'listening', 'speaking', 'writing'] as const

/** An English test result: overall score on its scale, CEFR level per skill, sub-skills, dates. */
export function EnglishProficiencyDetails({ ctx, credential, hideName }: DetailsProps) {
  const t = credentialText(ctx.locale)
  const f = credential.fields
  const scores = object(f, 'test_scores')
  const overall = object(scores, 'overall')
  const [score, scale] = [text(overall, 'score'), text(overall, 'scale')]
  const cefr = object(scores, 'cefr_scores')
  const [completed, expires] = [text(f, 'completion_date'), text(f, 'expiry_date')]

  /** "B2 (Upper intermediate)": the level as issued, with its name in the page's language. */
  const levelText = (value: string) => {
    const key = `cefr.${canonicalCefrLevel(value) ?? ''}`
    return hasCredentialText(key) ? `${canonicalCefrLevel(value)} (${t(key)})` : value
  }
  const cefrRows = SKILLS.flatMap((skill) => {
    const level = text(cefr, skill)
    return level ? [[t(`skill.${skill}`), levelText(level)]] : []
  })
  const subskillRows = objects(scores, 'subskills').map((entry) => [text(entry, 'skill'), text(entry, 'score')])
  return (
    <>
      <Facts
        facts={[
          [t('fullName'), !hideName && text(f, 'full_name')],
          [t('overallScore'), score && (scale ? t('scoreOnScale', { score, scale }) : score)],
          [t('completed'), completed && <DateText ctx={ctx} value={completed} />],
          [t('expires'), expires && <DateText ctx={ctx} value={expires} />],
        ]}
      />
      <DataTable caption={t('cefrCaption')} columns={[t('skill'), t('level')]} rows={cefrRows} />
      <DataTable caption={t('subskillsCaption')} columns={[t('subskill'), t('score')]} rows={subskillRows} />
    </>
  )
}
