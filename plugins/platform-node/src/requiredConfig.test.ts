import { ConfigReader } from '@backstage/config';
import { assertRequiredConfig, findMissingConfig } from './requiredConfig';

const required = [
  { key: 'backend.database.connection.password', from: 'POSTGRES_PASSWORD' },
  { key: 'backend.auth.keys.0.secret', from: 'BACKEND_SECRET' },
];

describe('required configuration', () => {
  it('passes when every required setting has a value', () => {
    const config = new ConfigReader({
      platform: { requiredConfig: required },
      backend: {
        database: { connection: { password: 'pw' } },
        auth: { keys: [{ secret: 's' }] },
      },
    });
    expect(findMissingConfig(config)).toEqual([]);
    expect(() => assertRequiredConfig(config)).not.toThrow();
  });

  it('names each missing setting and where it comes from', () => {
    const config = new ConfigReader({
      platform: { requiredConfig: required },
      backend: {
        database: { connection: { password: '' } },
        auth: { keys: [] },
      },
    });
    expect(() => assertRequiredConfig(config)).toThrow(
      'Refusing to start: required configuration is missing: backend.database.connection.password (from POSTGRES_PASSWORD), backend.auth.keys.0.secret (from BACKEND_SECRET)',
    );
  });

  it('requires nothing when no list is configured', () => {
    expect(findMissingConfig(new ConfigReader({}))).toEqual([]);
  });
});
