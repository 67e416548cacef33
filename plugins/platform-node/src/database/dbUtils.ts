/**
 * A timestamp column as ISO 8601: they come back as Date (pg), epoch numbers
 * or strings (SQLite).
 * @public
 */
export function toIso(value: Date | string | number): string;
export function toIso(
  value: Date | string | number | null | undefined,
): string | undefined;
export function toIso(value: Date | string | number | null | undefined) {
  if (value === null || value === undefined) return undefined;
  return new Date(
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
  ).toISOString();
}

/** A unique or primary key violation, on PostgreSQL or SQLite. @public */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e.code === '23505' ||
    e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    e.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed/.test(e.message ?? '')
  );
}

/** A foreign key violation, on PostgreSQL or SQLite. @public */
export function isForeignKeyViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e.code === '23503' ||
    e.code === 'SQLITE_CONSTRAINT_FOREIGNKEY' ||
    /FOREIGN KEY constraint failed/.test(e.message ?? '')
  );
}
