import pg from "pg";

/**
 * A normalized description of the public schema: tables, columns, indexes, constraints
 * and enums. Two databases with equal snapshots have the same schema.
 */
export async function schemaSnapshot(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const lines: string[] = [];
    const columns = await client.query(`
      SELECT table_name, column_name, udt_name, is_nullable, coalesce(column_default, '') AS def
      FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`);
    for (const r of columns.rows)
      lines.push(`column ${r.table_name}.${r.column_name} ${r.udt_name} null=${r.is_nullable} default=${r.def}`);
    const indexes = await client.query(`
      SELECT indexname, indexdef FROM pg_indexes
      WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`);
    for (const r of indexes.rows) lines.push(`index ${r.indexname} ${r.indexdef}`);
    const constraints = await client.query(`
      SELECT c.conrelid::regclass::text AS tbl, c.conname, pg_get_constraintdef(c.oid) AS def
      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE n.nspname = 'public' AND c.conrelid::regclass::text NOT LIKE '%_prisma_migrations%'`);
    for (const r of constraints.rows) lines.push(`constraint ${r.tbl}.${r.conname} ${r.def}`);
    const enums = await client.query(`
      SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS labels
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`);
    for (const r of enums.rows) lines.push(`enum ${r.typname} ${r.labels}`);
    return lines.sort();
  } finally {
    await client.end();
  }
}
