import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { Request } from 'express';
import { createRouteHelpers } from './routeHelpers';

const read = createPermission({
  name: 'things.thing.read',
  attributes: { action: 'read' },
  resourceType: 'thing',
});
const create = createPermission({
  name: 'things.thing.create',
  attributes: { action: 'create' },
});

function setup(allowed: string[]) {
  const permissions = mockServices.permissions.mock();
  permissions.authorize.mockImplementation(async requests =>
    requests.map(r => ({
      result:
        'resourceRef' in r && allowed.includes(r.resourceRef!)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
    })),
  );
  const auditor = mockServices.auditor.mock();
  const auditEvent = { success: jest.fn(), fail: jest.fn() };
  auditor.createEvent.mockResolvedValue(auditEvent);
  const helpers = createRouteHelpers({
    httpAuth: mockServices.httpAuth(),
    permissions,
    auditor,
  });
  return { helpers, permissions, auditEvent };
}

const req = (user = 'user:default/priya') =>
  ({
    headers: { authorization: mockCredentials.user.header(user) },
  } as unknown as Request);

describe('createRouteHelpers', () => {
  it('authorizes with the permission and its resource, and names both when refused', async () => {
    const { helpers } = setup(['thing:a']);
    await expect(helpers.authorize(req(), read, 'thing:a')).resolves.toEqual(
      mockCredentials.user('user:default/priya'),
    );
    await expect(helpers.authorize(req(), read, 'thing:b')).rejects.toThrow(
      'Not allowed to things.thing.read on thing:b',
    );
    await expect(helpers.authorize(req(), create)).rejects.toThrow(
      /^Not allowed to things.thing.create$/,
    );
    await expect(helpers.authorize(req(), read)).rejects.toThrow(
      'things.thing.read is checked without a resource',
    );
  });

  it('keeps the readable refs in their order, asking once per ref', async () => {
    const { helpers, permissions } = setup(['thing:a', 'thing:c']);
    const credentials = mockCredentials.user('user:default/priya');
    await expect(
      helpers.authorizedRefs(credentials, read, [
        'thing:c',
        'thing:b',
        'thing:a',
        'thing:c',
      ]),
    ).resolves.toEqual(['thing:c', 'thing:a', 'thing:c']);
    expect(permissions.authorize).toHaveBeenCalledTimes(1);
    expect(permissions.authorize.mock.calls[0][0]).toHaveLength(3);
    await expect(
      helpers.authorizedRefs(credentials, read, []),
    ).resolves.toEqual([]);
    expect(permissions.authorize).toHaveBeenCalledTimes(1);
  });

  it('audits a change, and a refused or failed one as failed', async () => {
    const { helpers, auditEvent } = setup([]);
    await expect(
      helpers.audited(req(), 'thing-create', { name: 'a' }, async () => 42),
    ).resolves.toBe(42);
    expect(auditEvent.success).toHaveBeenCalledWith({ meta: { name: 'a' } });
    await expect(
      helpers.audited(req(), 'thing-create', { name: 'b' }, () =>
        helpers.authorize(req(), create),
      ),
    ).rejects.toThrow('Not allowed to things.thing.create');
    expect(auditEvent.fail).toHaveBeenCalledWith({
      meta: { name: 'b' },
      error: expect.objectContaining({ name: 'NotAllowedError' }),
    });
  });
});
