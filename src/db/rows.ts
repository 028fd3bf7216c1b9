import { getTableColumns, getTableName, is, SQL, type Column, type Table } from 'drizzle-orm'

type JsonRow = Record<string, unknown>

const columnLists = new WeakMap<Table, ReadonlyArray<readonly [string, Column]>>()

/** A table's columns by property name, listed once per table (rows are built per request). */
function columnsOf(table: Table): ReadonlyArray<readonly [string, Column]> {
  let list = columnLists.get(table)
  if (!list) {
    list = Object.entries(getTableColumns(table))
    columnLists.set(table, list)
  }
  return list
}

/** The value an insert leaves out of `column` takes: its schema default, or null. */
function defaultOf(table: Table, column: Column): unknown {
  if (column.defaultFn) return column.defaultFn()
  if (column.default === undefined) return null
  if (is(column.default, SQL))
    throw new Error(`${getTableName(table)}.${column.name}: its default is computed by the database; give a value`)
  return column.default
}

/**
 * A whole row of `table` from the values an insert gives: each column left out takes its default
 * from the schema (`.default(…)`, `.$defaultFn(…)`), or null. A column whose default only the
 * database can compute (`defaultNow()`) must be given.
 */
export function completeRow<T extends Table>(table: T, values: T['$inferInsert']): T['$inferSelect'] {
  const given = values as JsonRow
  const row: JsonRow = {}
  for (const [key, column] of columnsOf(table)) {
    const value = given[key]
    row[key] = value !== undefined ? value : defaultOf(table, column)
  }
  return row as T['$inferSelect']
}

/**
 * The row an insert stores (`completeRow`), keyed by its columns' database names, as
 * `jsonb_populate_record(null::table, …)` reads it: null columns are left out (that function reads
 * a missing key as null), dates become ISO strings once the row is serialised to JSON.
 */
export function insertJson<T extends Table>(table: T, values: T['$inferInsert']): JsonRow {
  const given = values as JsonRow
  const json: JsonRow = {}
  for (const [key, column] of columnsOf(table)) {
    const value = given[key] !== undefined ? given[key] : defaultOf(table, column)
    if (value !== null && value !== undefined) json[column.name] = value
  }
  return json
}

/** A table's row from its `row_to_json`, each column decoded as drizzle decodes it from the driver. */
export function fromJson<T extends Table>(table: T, json: JsonRow): T['$inferSelect'] {
  const row: JsonRow = {}
  for (const [key, column] of columnsOf(table)) {
    if (!(column.name in json)) throw new Error(`a ${getTableName(table)} row as JSON has no column ${column.name}`)
    const value = json[column.name]
    row[key] = value === null ? null : column.mapFromDriverValue(value)
  }
  return row as T['$inferSelect']
}
