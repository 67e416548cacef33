import { parseEntityRef } from '@backstage/catalog-model';
import { createHash } from 'node:crypto';

const MAX_NAME = 63;

/** Lower-case letters, digits and single dashes, nothing at either end. */
function slug(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * The names a preview of a component's pull request may take, preferred
 * first: `payments-api-pr-42` (the catalog namespace in front when it is not
 * `default`), then the same with a hash of the component ref, which differs
 * for components whose names slug alike. Every one is a DNS-1123 label of at
 * most 63 characters, so it also serves in namespace names.
 */
export function previewNames(component: string, pullRequest: number): string[] {
  const { namespace, name } = parseEntityRef(component);
  const base =
    slug(namespace) === 'default'
      ? slug(name)
      : `${slug(namespace)}-${slug(name)}`;
  const suffix = `-pr-${pullRequest}`;
  const hash = createHash('sha256')
    .update(component.toLowerCase())
    .digest('hex')
    .slice(0, 8);
  const fit = (text: string, room: number) =>
    text.slice(0, room).replace(/-+$/g, '') || 'preview';
  const plain = `${base || 'preview'}${suffix}`;
  const hashed = `${fit(base, MAX_NAME - suffix.length - 9)}${suffix}-${hash}`;
  return plain.length <= MAX_NAME ? [plain, hashed] : [hashed];
}
