import { createMockDirectory } from '@backstage/backend-test-utils';
import { componentRefFromWorkspace, componentRefOf } from './componentRef';

describe('componentRefOf', () => {
  it.each([
    ['payments-api', 'component:default/payments-api'],
    ['team-a/payments-api', 'component:team-a/payments-api'],
    ['Component:default/payments-api', 'component:default/payments-api'],
  ])('reads %s as %s', (value, ref) => {
    expect(componentRefOf(value)).toBe(ref);
  });

  it('refuses another kind and a malformed ref, as input errors', () => {
    expect(() => componentRefOf('group:default/team-a')).toThrow(
      "component must refer to a Component, got 'group:default/team-a' of kind group",
    );
    expect(() => componentRefOf('a:b:c/d')).toThrow(
      expect.objectContaining({ name: 'InputError' }),
    );
  });

  it('refuses a name or namespace the catalog would not accept, naming it', () => {
    expect(() => componentRefOf('\t...')).toThrow(
      "component '\t...' has name '\t...', which is not a catalog entity name",
    );
    expect(() => componentRefOf(`${'a'.repeat(64)}`)).toThrow(
      'which is not a catalog entity name',
    );
    expect(() => componentRefOf('Team_A/payments-api')).toThrow(
      "component 'Team_A/payments-api' has namespace 'Team_A', which is not a catalog namespace",
    );
    expect(() => componentRefOf('component:default/-x')).toThrow(
      expect.objectContaining({ name: 'InputError' }),
    );
  });
});

describe('componentRefFromWorkspace', () => {
  const workspace = createMockDirectory();

  it('takes the one Component of the catalog-info file, in its namespace', async () => {
    workspace.setContent({
      'catalog-info.yaml': [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata: { name: invoice-service, namespace: billing }',
        '---',
        'apiVersion: backstage.io/v1alpha1',
        'kind: API',
        'metadata: { name: invoice-api }',
      ].join('\n'),
    });
    await expect(
      componentRefFromWorkspace(workspace.path, 'catalog-info.yaml'),
    ).resolves.toBe('component:billing/invoice-service');
  });

  it('refuses a missing file, several Components, and a path outside the workspace', async () => {
    workspace.setContent({
      'two.yaml': [
        'kind: Component',
        'metadata: { name: a }',
        '---',
        'kind: Component',
        'metadata: { name: b }',
      ].join('\n'),
    });
    await expect(
      componentRefFromWorkspace(workspace.path, 'catalog-info.yaml'),
    ).rejects.toThrow('the workspace has no catalog-info.yaml to take it from');
    await expect(
      componentRefFromWorkspace(workspace.path, 'two.yaml'),
    ).rejects.toThrow('two.yaml in the workspace holds 2 Components');
    await expect(
      componentRefFromWorkspace(workspace.path, '../outside.yaml'),
    ).rejects.toThrow();
  });
});
