import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';

/**
 * A real IMAP server for the bounce-mailbox tests: Debian's Dovecot (dovecot-imapd), started as a
 * child process on a loopback port with a throwaway configuration, one passwd-file user and a
 * maildir, all in a temp folder; no system service, nothing outside the folder. Stopped by pid.
 */
export const DOVECOT = '/usr/sbin/dovecot';

/** Why the IMAP tests cannot run here; undefined when they can. With CI=true a missing Dovecot is a failure. */
export function dovecotMissing(): string | undefined {
  if (existsSync(DOVECOT)) return undefined;
  const why = `Dovecot is not installed (${DOVECOT}); install it with: apt-get install -y dovecot-imapd`;
  if (process.env.CI === 'true') throw new Error(`the IMAP tests must run in CI: ${why}`);
  return why;
}

export interface Dovecot {
  host: string;
  port: number;
  user: string;
  password: string;
  /** `imap://user:pass@127.0.0.1:port/INBOX` */
  url(mailbox?: string): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('data', (d) => {
      socket.destroy();
      resolve(d.toString().startsWith('* OK'));
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startDovecot(): Promise<Dovecot> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ncw-dovecot-'));
  const user = 'bounces';
  const password = 'imap-test-password';
  const port = await freePort();
  // Mail is never kept as root: as root, the mailbox belongs to Dovecot's own system user.
  const root = process.getuid?.() === 0;
  const me = userInfo();
  const owner = root ? spawnSync('id', ['-u', 'dovecot']).stdout.toString().trim() || '65534' : String(me.uid);
  const group = root ? spawnSync('id', ['-g', 'dovecot']).stdout.toString().trim() || '65534' : String(me.gid);
  const loginUser = root ? 'dovenull' : me.username;
  const internalUser = root ? 'dovecot' : me.username;
  const mail = path.join(dir, 'mail');
  // mkdtemp makes the folder 0700: Dovecot's own users must reach the passwd file and the mail in it.
  await chmod(dir, 0o755);
  await mkdir(path.join(dir, 'run'), { recursive: true });
  await mkdir(path.join(dir, 'state'), { recursive: true });
  await mkdir(mail, { recursive: true });
  if (root) await chown(mail, Number(owner), Number(group));
  await writeFile(path.join(dir, 'passwd'), `${user}:{PLAIN}${password}::::::\n`, { mode: 0o644 });
  const conf = path.join(dir, 'dovecot.conf');
  await writeFile(
    conf,
    [
      `base_dir = ${dir}/run`,
      `state_dir = ${dir}/state`,
      `instance_name = ncw-test-${port}`,
      `log_path = ${dir}/dovecot.log`,
      'protocols = imap',
      'listen = 127.0.0.1',
      'ssl = no',
      // Plain passwords over loopback only, for a throwaway test user.
      'disable_plaintext_auth = no',
      'auth_mechanisms = plain login',
      `default_login_user = ${loginUser}`,
      `default_internal_user = ${internalUser}`,
      `first_valid_uid = ${owner}`,
      `mail_location = maildir:${mail}/%u`,
      'passdb {',
      '  driver = passwd-file',
      `  args = scheme=PLAIN username_format=%u ${dir}/passwd`,
      '}',
      'userdb {',
      '  driver = static',
      `  args = uid=${owner} gid=${group} home=${mail}/%u`,
      '}',
      'service imap-login {',
      '  inet_listener imap {',
      '    address = 127.0.0.1',
      `    port = ${port}`,
      '  }',
      '  inet_listener imaps {',
      '    port = 0',
      '  }',
      '}',
      'service stats {',
      '  unix_listener stats-reader {',
      '    mode = 0666',
      '  }',
      '  unix_listener stats-writer {',
      '    mode = 0666',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(DOVECOT, ['-F', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; i < 100 && !(await answers(port)); i++) {
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!(await answers(port))) {
    child.kill('SIGTERM');
    const log = await readFile(path.join(dir, 'dovecot.log'), 'utf8').catch(() => '');
    await rm(dir, { recursive: true, force: true });
    throw new Error(`Dovecot did not start on 127.0.0.1:${port}: ${output}${log}`);
  }
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    url: (mailbox = 'INBOX') => `imap://${user}:${password}@127.0.0.1:${port}/${encodeURIComponent(mailbox)}`,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
