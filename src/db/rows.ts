import { getTableColumns, getTableName, is, SQL, type Table } from 'drizzle-orm'

type JsonRow = Record<string, unknown>

/**
 * A whole row of `table` from the values an insert gives: each column left out takes its default
 * from the schema (`.default(…)`, `.$defaultFn(…)`), or null. A column whose default only the
 * database can compute (`defaultNow()`) must be given.
 */
export function completeRow<T extends Table>(table: T, values: T['$inferInsert']): T['$inferSelect'] {
  const given = values as JsonRow
  const row: JsonRow = {}
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    if (given[key] !== undefined) row[key] = given[key]
    else if (column.defaultFn) row[key] = column.defaultFn()
    else if (column.default === undefined) row[key] = null
    else if (is(column.default, SQL))
      throw new Error(`${getTableName(table)}.${column.name}: its default is computed by the database; give a value`)
    else row[key] = column.default
  }
  return row as T['$inferSelect']
}

/**
 * A row keyed by its columns' database names, as `jsonb_populate_record(null::table, …)` reads it:
 * null columns are left out (that function reads a missing key as null), dates become ISO strings
 * once the row is serialised to JSON.
 */
export function toJson<T extends Table>(table: T, row: T['$inferSelect']): JsonRow {
  const json: JsonRow = {}
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = (row as JsonRow)[key]
    if (value !== null && value !== undefined) json[column.name] = value
  }
  return json
}

/** A table's row from its `row_to_json`, each column decoded as drizzle decodes it from the driver. */
export function fromJson<T extends Table>(table: T, json: JsonRow): T['$inferSelect'] {
  const row: JsonRow = {}
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    if (!(column.name in json)) throw new Error(`a ${getTableName(table)} row as JSON has no column ${column.name}`)
    const value = json[column.name]
    row[key] = value === null ? null : column.mapFromDriverValue(value)
  }
  return row as T['$inferSelect']
}
