import { apiVersionOf, FAKE_RESOURCE_TYPES } from './resources';

const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

/** `GET /api`: the core group's versions. */
export function coreApiVersions() {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [],
  };
}

/** `GET /apis`: the named groups the fake server serves. */
export function apiGroupList() {
  const groups = [
    ...new Set(FAKE_RESOURCE_TYPES.map(t => t.group).filter(Boolean)),
  ];
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups.map(name => {
      const version = FAKE_RESOURCE_TYPES.find(t => t.group === name)!.version;
      const groupVersion = { groupVersion: `${name}/${version}`, version };
      return { name, versions: [groupVersion], preferredVersion: groupVersion };
    }),
  };
}

/** `GET /api/v1`, `GET /apis/apps/v1`, ...: what a group version holds, or undefined when it is not served. */
export function apiResourceList(group: string, version: string) {
  const types = FAKE_RESOURCE_TYPES.filter(
    t => t.group === group && t.version === version,
  );
  if (types.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf(types[0]),
    resources: types.map(t => ({
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: VERBS,
    })),
  };
}
