/** Every scope a client can hold (spec §1). `write.*` scopes also allow reading own submissions' status. */
export const ALL_SCOPES = [
  'write.education',
  'write.english_proficiency',
  'write.microcredential',
  'write.digital_identity',
  'write.right_to_work',
  'write.career_history',
  'write.universal',
  'read.submissions',
] as const

export type Scope = (typeof ALL_SCOPES)[number]

/** What each scope grants (spec §1), as the OpenAPI document's OAuth scheme lists it. */
export const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
  'write.education': 'Add education qualifications.',
  'write.english_proficiency': 'Add English proficiency results.',
  'write.microcredential': 'Add learning and development credentials (microcredentials).',
  'write.digital_identity': 'Add digital identity credentials.',
  'write.right_to_work': 'Add right to work credentials.',
  'write.career_history': 'Add career history.',
  'write.universal': 'Add universal credentials.',
  'read.submissions':
    "Read the status of the partner's own submissions (any write.* scope also allows it, so older integrations keep working).",
}

export function isScope(value: string): value is Scope {
  return (ALL_SCOPES as readonly string[]).includes(value)
}

/** Splits an OAuth `scope` parameter (space-separated, RFC 6749 §3.3) into unique scopes. */
export function parseScopeList(text: string): string[] {
  return [...new Set(text.split(/[ \t\n]+/).filter(Boolean))]
}

/** The scopes from `needed` that `held` lacks. */
export function missingScopes(held: ReadonlySet<string>, needed: readonly string[]): string[] {
  return needed.filter((s) => !held.has(s))
}
