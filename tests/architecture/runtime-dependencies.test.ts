import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/temp-project.ts';

/**
 * A production install (`npm ci --omit=dev`) has only `dependencies`. Every package the compiled
 * code imports must be one of them, or `newsletter` fails to start with ERR_MODULE_NOT_FOUND.
 * Checked on dist/ (built before the tests), where type-only imports are already gone.
 */
const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'assets' ? [] : jsFiles(p);
    return e.name.endsWith('.js') || e.name.endsWith('.mjs') ? [p] : [];
  });
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
const packageOf = (spec: string) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

function bareImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [
    ...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)["']([^"'./][^"']*)["']/g),
  ].map((m) => m[1]!);
  return specs.filter((s) => !s.startsWith('node:') && !builtinModules.includes(packageOf(s)));
}

/**
 * A vendored bundle (dist/vendor/, see scripts/build.mjs) holds its package's code and comments
 * (import examples among them): only its top-level import statements and esbuild's require shim
 * are real imports.
 */
function bundleImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [
    ...text.matchAll(/^import\b[^;]*?from\s*"([^"]+)";$|^import\s*"([^"]+)";$|\b__require\("([^"]+)"\)/gm),
  ].map((m) => (m[1] ?? m[2] ?? m[3])!);
  return specs.filter((s) => !s.startsWith('node:') && !builtinModules.includes(packageOf(s)));
}

describe('what a production install needs', () => {
  const vendorDir = path.join(repoRoot, 'dist', 'vendor');
  const bundles = jsFiles(vendorDir);
  const files = [
    ...jsFiles(path.join(repoRoot, 'dist')).filter((f) => !f.startsWith(vendorDir)),
    path.join(repoRoot, 'bin/newsletter.js'),
    ...jsFiles(path.join(repoRoot, 'scripts')),
  ];

  it('bundles the vendored packages from dependencies (the build runs in a production install too), importing nothing else', () => {
    expect(bundles.map((f) => path.basename(f)).sort()).toEqual(['kysely.js', 'nodemailer.js']);
    for (const f of bundles) {
      expect(path.basename(f, '.js') in pkg.dependencies).toBe(true);
      expect(bundleImports(f)).toEqual([]);
    }
  });

  it('finds the compiled code to check', () => {
    expect(files.some((f) => f.endsWith(path.join('dist', 'cli', 'main.js')))).toBe(true);
  });

  it('imports only packages listed in dependencies', () => {
    const missing = files.flatMap((f) =>
      bareImports(f)
        .map(packageOf)
        .filter((p) => !(p in pkg.dependencies))
        .map(
          (p) => `${path.relative(repoRoot, f)} imports ${p}${p in pkg.devDependencies ? ' (a devDependency)' : ''}`,
        ),
    );
    expect(missing).toEqual([]);
  });

  it('keeps TypeScript loaders and test tools out of dependencies', () => {
    for (const dev of ['tsx', 'typescript', 'vitest', 'playwright-core', 'smtp-server'])
      expect(pkg.dependencies).not.toHaveProperty(dev);
  });
});
