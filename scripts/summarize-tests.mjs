#!/usr/bin/env node
// Adds up the results of the test runs in a results folder (Jest's JSON and
// node:test's TAP) and prints one closing line: "N passed, N failed".
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? 'test-results';
let passed = 0;
let failed = 0;
let skipped = 0;

// Jest's JSON: the unit and database tests, and the API fuzz pass, which
// runs on its own (packages/api-fuzz).
const jestRuns = [
  ['jest.json', 'unit and database tests'],
  ['api-fuzz.json', 'API fuzz pass'],
];
// Database tests name their database (TestDatabases ids) in the title.
const perDatabase = new Map();
let jestRan = false;
for (const [file, title] of jestRuns) {
  const jestFile = join(dir, file);
  if (!existsSync(jestFile)) continue;
  jestRan = true;
  const jest = JSON.parse(readFileSync(jestFile, 'utf8'));
  passed += jest.numPassedTests;
  failed += jest.numFailedTests + jest.numRuntimeErrorTestSuites;
  skipped += jest.numPendingTests + jest.numTodoTests;
  console.log(
    `${title}: ${jest.numPassedTests} passed, ${jest.numFailedTests} failed in ${jest.numTotalTestSuites} suites`,
  );
  for (const suite of jest.testResults) {
    for (const test of suite.assertionResults) {
      const id = test.fullName.match(
        /\b(SQLITE_\d+|POSTGRES_\d+|MYSQL_\d+)\b/,
      )?.[1];
      if (id && test.status === 'passed')
        perDatabase.set(id, (perDatabase.get(id) ?? 0) + 1);
    }
  }
}
if (jestRan) {
  const databases = [...perDatabase]
    .map(([id, n]) => `${n} on ${id}`)
    .join(', ');
  console.log(`database tests passed: ${databases || 'none'}`);
}

const tapFile = join(dir, 'e2e.tap');
if (existsSync(tapFile)) {
  const tap = readFileSync(tapFile, 'utf8');
  const count = name =>
    Number(tap.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
  passed += count('pass');
  failed += count('fail') + count('cancelled');
  skipped += count('skipped') + count('todo');
  console.log(
    `browser tests: ${count('pass')} passed, ${count('fail')} failed`,
  );
}

if (passed + failed === 0) {
  console.error('No test results found: nothing ran.');
  process.exit(1);
}
console.log(
  `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`,
);
process.exit(failed > 0 ? 1 : 0);
