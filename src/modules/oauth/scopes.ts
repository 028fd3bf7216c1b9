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
