/** The benchmarks' way into the machine's PostgreSQL server: fresh databases are made and dropped through it. */
import pg from 'pg';

export const ADMIN_URL = process.env.NEWSLETTER_TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export async function admin<T>(run: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
