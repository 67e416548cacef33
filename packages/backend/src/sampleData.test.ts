/*
 * The catalog files the portal loads (examples/, templates/ and the portal's
 * own catalog-info.yaml) must parse, pass the catalog's validators, and have
 * every relation point at an entity that exists: the catalog only warns in
 * its log about such faults, so they are caught here.
 */
import {
  componentEntityV1alpha1Validator,
  DEFAULT_NAMESPACE,
  domainEntityV1alpha1Validator,
  Entity,
  entitySchemaValidator,
  groupEntityV1alpha1Validator,
  KindValidator,
  locationEntityV1alpha1Validator,
  parseEntityRef,
  resourceEntityV1alpha1Validator,
  stringifyEntityRef,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

const root = resolve(__dirname, '../../..');

const kindValidators: Record<string, KindValidator> = {
  component: componentEntityV1alpha1Validator,
  domain: domainEntityV1alpha1Validator,
  group: groupEntityV1alpha1Validator,
  location: locationEntityV1alpha1Validator,
  resource: resourceEntityV1alpha1Validator,
  system: systemEntityV1alpha1Validator,
  user: userEntityV1alpha1Validator,
  template: templateEntityV1beta3Validator,
};

function readEntities(file: string): Entity[] {
  const text = readFileSync(file, 'utf8');
  const entities: Entity[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) {
      throw new Error(`${file}: ${doc.errors.map(e => e.message).join('; ')}`);
    }
    const entity = doc.toJS() as Entity | null;
    if (entity) entities.push(entity);
  }
  return entities;
}

/** Follows Location targets, as the catalog does for file locations. */
function loadTree(file: string): Entity[] {
  return readEntities(file).flatMap(entity =>
    entity.kind === 'Location'
      ? [
          entity,
          ...((entity.spec?.targets as string[]) ?? []).flatMap(target =>
            loadTree(join(dirname(file), target)),
          ),
        ]
      : [entity],
  );
}

const entities = [
  'catalog-info.yaml',
  'examples/entities.yaml',
  'examples/org.yaml',
  'templates/all.yaml',
].flatMap(file => loadTree(join(root, file)));

const refOf = (entity: Entity) => stringifyEntityRef(entity);
// Entities that providers add at run time rather than files: the platform
// API collated from the plugins' OpenAPI specs (app-config.yaml,
// catalog.providers.backstageOpenapi.entityOverrides).
const providedAtRunTime = ['api:default/launchpad-api'];
const known = new Set([...entities.map(refOf), ...providedAtRunTime]);

function relationTargets(entity: Entity): Array<[string, string, string]> {
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const targets: Array<[string, unknown, string]> = [
    ['owner', spec.owner, 'group'],
    ['system', spec.system, 'system'],
    ['domain', spec.domain, 'domain'],
    ['parent', spec.parent, 'group'],
    ['providesApis', spec.providesApis, 'api'],
    ['consumesApis', spec.consumesApis, 'api'],
    ['dependsOn', spec.dependsOn, 'component'],
    ['memberOf', spec.memberOf, 'group'],
    ['members', spec.members, 'user'],
    ['children', spec.children, 'group'],
  ];
  const asList = (value: unknown): unknown[] => {
    if (Array.isArray(value)) return value;
    return value ? [value] : [];
  };
  return targets.flatMap(([field, value, defaultKind]) =>
    asList(value).map(
      ref =>
        [
          field,
          stringifyEntityRef(
            parseEntityRef(String(ref), {
              defaultKind,
              defaultNamespace: DEFAULT_NAMESPACE,
            }),
          ),
          String(ref),
        ] as [string, string, string],
    ),
  );
}

describe('the catalog data the portal loads', () => {
  it('has entities of every kind the sample organisation needs', () => {
    const kinds = new Set(entities.map(e => e.kind));
    for (const kind of [
      'Group',
      'User',
      'System',
      'Component',
      'API',
      'Template',
    ]) {
      expect(kinds).toContain(kind);
    }
  });

  it.each(entities.map(e => [refOf(e), e] as const))(
    '%s is a valid entity',
    async (_ref, entity) => {
      expect(() => entitySchemaValidator()(entity)).not.toThrow();
      // API has no exported kind validator; the schema check above covers it.
      const validator = kindValidators[entity.kind.toLowerCase()] ?? {
        check: async () => true,
      };
      await expect(validator.check(entity)).resolves.toBe(true);
    },
  );

  it('has no relation to an entity that does not exist', () => {
    const dangling = entities.flatMap(entity =>
      relationTargets(entity)
        .filter(([, target]) => !known.has(target))
        .map(([field, , raw]) => `${refOf(entity)} ${field} -> ${raw}`),
    );
    expect(dangling).toEqual([]);
  });

  it('gives every component an owner and a github.com/project-slug', () => {
    const components = entities.filter(e => e.kind === 'Component');
    for (const component of components.filter(
      c => c.metadata.name !== 'launchpad-portal',
    )) {
      expect(
        component.metadata.annotations?.['github.com/project-slug'],
      ).toMatch(/^[\w.-]+\/[\w.-]+$/);
    }
    expect(components.every(c => c.spec?.owner)).toBe(true);
  });
});
