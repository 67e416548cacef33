#!/usr/bin/env node
// Pins every @backstage/* dependency of every workspace package to the exact
// version in the Backstage release manifest. Caret ranges let yarn mix
// releases from a registry that is ahead of the release, which breaks the
// backend at start-up, so exact pins are the only safe form here.
//
// Usage: node scripts/pin-backstage-versions.mjs [--check] [manifest.json]
import { readFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const check = args.includes('--check');
const manifestPath =
  args.find(a => !a.startsWith('--')) ??
  join(root, 'scripts/backstage-release-manifest.json');

const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const versions = new Map(manifest.packages.map(p => [p.name, p.version]));

const packageFiles = [join(root, 'package.json')];
for (const dir of ['packages', 'plugins', 'bench']) {
  const base = join(root, dir);
  if (!existsSync(base)) continue;
  for (const entry of readdirSync(base)) {
    const file = join(base, entry, 'package.json');
    if (existsSync(file)) packageFiles.push(file);
  }
}

const problems = [];

// Transitive dependencies ask for caret ranges too; resolutions hold every
// package of the release to its exact version wherever it is required.
{
  const file = join(root, 'package.json');
  const text = readFileSync(file, 'utf8');
  const pkg = JSON.parse(text);
  const resolutions = { ...(pkg.resolutions ?? {}) };
  for (const [name, version] of versions) {
    if (resolutions[name] === version) continue;
    if (check)
      problems.push(
        `${file}: resolutions["${name}"] is "${resolutions[name]}", expected "${version}"`,
      );
    resolutions[name] = version;
  }
  pkg.resolutions = Object.fromEntries(
    Object.entries(resolutions).sort(([a], [b]) => a.localeCompare(b)),
  );
  const next = `${JSON.stringify(pkg, null, 2)}\n`;
  if (!check && next !== text) writeFileSync(file, next);
}

for (const file of packageFiles) {
  const text = readFileSync(file, 'utf8');
  const pkg = JSON.parse(text);
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies']) {
    const deps = pkg[field] ?? {};
    for (const [name, range] of Object.entries(deps)) {
      if (!name.startsWith('@backstage/')) continue;
      const pinned = versions.get(name);
      if (!pinned) {
        problems.push(
          `${file}: ${name} is not in release ${manifest.releaseVersion}`,
        );
        continue;
      }
      if (field === 'peerDependencies' || range === pinned) continue;
      if (check)
        problems.push(`${file}: ${name} is "${range}", expected "${pinned}"`);
      deps[name] = pinned;
    }
  }
  const next = `${JSON.stringify(pkg, null, 2)}\n`;
  if (!check && next !== text) writeFileSync(file, next);
}

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(
  `${check ? 'Checked' : 'Pinned'} ${
    packageFiles.length
  } package.json files against Backstage ${manifest.releaseVersion}`,
);
