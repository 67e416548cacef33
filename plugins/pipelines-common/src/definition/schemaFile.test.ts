import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PIPELINE_SCHEMA } from './schemaValidation';
import { parsePipeline } from './parsePipeline';

const packageDir = join(__dirname, '../..');

describe('the published schema', () => {
  it('is the file in schema/ and a valid draft-07 schema', () => {
    const file = JSON.parse(
      readFileSync(join(packageDir, 'schema/pipeline.schema.json'), 'utf8'),
    );
    expect(PIPELINE_SCHEMA).toEqual(file);
    const ajv = new Ajv({ allowUnionTypes: true });
    expect(ajv.validateSchema(file)).toBe(true);
  });

  it('accepts the example in the README, which the parser accepts too', () => {
    const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
    const example = /```yaml\n# \.platform\/pipeline\.yaml\n([\s\S]*?)```/.exec(
      readme,
    );
    expect(example).not.toBeNull();
    const ajv = new Ajv({ allowUnionTypes: true, strictRequired: false });
    expect(ajv.validate(PIPELINE_SCHEMA, parse(example![1]))).toBe(true);
    expect(parsePipeline(example![1])).toMatchObject({ ok: true });
  });
});
