/*
 * The sample services' pipeline files (examples/repos, run by the embedded
 * default) must stay valid as the schema changes.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parsePipeline } from './parsePipeline';

const REPOS = resolve(__dirname, '../../../../examples/repos');
const files = readdirSync(REPOS)
  .map(name => join(REPOS, name, '.platform/pipeline.yaml'))
  .filter(existsSync);

describe('the sample repositories pipeline files', () => {
  it('exist', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s is valid', file => {
    const result = parsePipeline(readFileSync(file, 'utf8'));
    expect(result.ok ? [] : result.errors).toEqual([]);
  });
});
