import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, describeDatabase, loadConfig } from '../../src/config.ts';
import { MIGRATION_NAMES, migrate, openStore } from '../../src/store/database.ts';
import { createSubscriberStore } from '../../src/store/subscribers.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';

describe('NEWSLETTER_DATABASE_URL and NEWSLETTER_DATABASE_POOL', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ncw-config-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const load = (env: Record<string, string>) => loadConfig(env, dir).database;
  const failure = (env: Record<string, string>) => {
    try {
      load(env);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
    throw new Error('expected a ConfigError');
  };

  it('defaults to the embedded SQLite file, as before', () => {
    expect(load({})).toEqual({ kind: 'sqlite', file: path.join(dir, 'subscribers', 'newsletter.db') });
    expect(load({ NEWSLETTER_DATABASE_URL: 'sqlite:data/x.db' })).toEqual({
      kind: 'sqlite',
      file: path.join(dir, 'data', 'x.db'),
    });
    expect(load({ NEWSLETTER_DATABASE_URL: 'sqlite:///var/lib/x.db' })).toEqual({
      kind: 'sqlite',
      file: '/var/lib/x.db',
    });
  });

  it('accepts postgres:// and postgresql:// URLs, with sslmode, and a pool of 10 connections unless told', () => {
    for (const url of [
      'postgres://user:pass@db.example.org:5432/news',
      'postgresql://user:pass@db.example.org/news',
      'postgres://user:pass@db.example.org:5432/news?sslmode=require',
      'postgres:///news?host=/var/run/postgresql',
    ]) {
      expect(load({ NEWSLETTER_DATABASE_URL: url })).toEqual({ kind: 'postgres', url, pool: 10 });
    }
    expect(load({ NEWSLETTER_DATABASE_URL: 'postgres://u@h/db', NEWSLETTER_DATABASE_POOL: '25' })).toEqual({
      kind: 'postgres',
      url: 'postgres://u@h/db',
      pool: 25,
    });
  });

  it('refuses a bad pool size in one line: the variable, the problem, a good example', () => {
    for (const pool of ['0', '-3', 'ten', '2.5', '100000']) {
      expect(failure({ NEWSLETTER_DATABASE_URL: 'postgres://u@h/db', NEWSLETTER_DATABASE_POOL: pool })).toBe(
        `NEWSLETTER_DATABASE_POOL: must be a whole number from 1 to 1000 (got "${pool}"); e.g. NEWSLETTER_DATABASE_POOL=10`,
      );
    }
  });

  it('refuses a bad URL without ever showing its password', () => {
    const cases: [string, RegExp][] = [
      ['postgres://user:hunter2-secret@/news', /not a valid PostgreSQL URL/],
      ['postgres:///news?password=hunter2-secret', /needs a host/],
      ['postgres://user:hunter2-secret@db.example.org:5432', /needs a database name/],
      ['postgres://user:hunter2-secret@db.example.org/news?sslmode=maybe', /sslmode must be one of/],
      ['postgres://user:hunter2-secret@db.example.org:99999/news', /not a valid PostgreSQL URL/],
      ['mysql://user:hunter2-secret@db.example.org/news', /must be sqlite:PATH or postgres:/],
    ];
    for (const [url, problem] of cases) {
      const message = failure({ NEWSLETTER_DATABASE_URL: url });
      expect(message).toMatch(/^NEWSLETTER_DATABASE_URL: /);
      expect(message).toMatch(problem);
      expect(message).toMatch(/; e\.g\. NEWSLETTER_DATABASE_URL=\S+$/);
      expect(message).not.toContain('hunter2');
      expect(message).not.toContain('\n');
    }
  });

  it('describes a database for messages with the password masked', () => {
    expect(describeDatabase({ kind: 'postgres', url: 'postgres://user:p@ss:w@rd@db.example.org/news', pool: 1 })).toBe(
      'postgres://user:***@db.example.org/news',
    );
    expect(describeDatabase({ kind: 'postgres', url: 'postgres://user@db.example.org/news', pool: 1 })).toBe(
      'postgres://user@db.example.org/news',
    );
    expect(describeDatabase({ kind: 'sqlite', file: '/x/y.db' })).toBe('/x/y.db');
  });

  it('a server that does not answer fails at the first query, without the password in the error', async () => {
    const db = openStore(
      loadConfig(
        { NEWSLETTER_DATABASE_URL: 'postgres://user:hunter2-secret@127.0.0.1:1/news', NEWSLETTER_DATABASE_POOL: '1' },
        dir,
      ).database,
    );
    try {
      const error = await createSubscriberStore(db)
        .ping()
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(Error);
      expect(String((error as Error).message) + String((error as Error).stack)).not.toContain('hunter2');
    } finally {
      await db.destroy();
    }
  });
});

describeEachEngine('a store opened from the configuration', (engine) => {
  const t = useTestStore(engine, { migrate: false });

  it('opens, migrates and answers', async () => {
    const url = t.url;
    const { database } = loadConfig(
      { NEWSLETTER_DATABASE_URL: url, NEWSLETTER_DATABASE_POOL: '2' },
      path.dirname(t.database.kind === 'sqlite' ? t.database.file : tmpdir()),
    );
    expect(database.kind).toBe(engine.name);
    const db = openStore(database, { durable: true });
    try {
      expect(await migrate(db)).toEqual([...MIGRATION_NAMES]);
      await createSubscriberStore(db).ping();
    } finally {
      await db.destroy();
    }
  });
});
