import { EntityRefLink } from '@backstage/plugin-catalog-react';

/**
 * Who a run is for: a catalog user (`user:default/priya`) as a link to
 * them, or a git author's login or name as it came.
 */
export const Author = ({ name }: { name?: string }) => {
  if (!name) return <>—</>;
  if (/^user:/i.test(name)) {
    return <EntityRefLink entityRef={name} defaultKind="user" />;
  }
  return <>{name}</>;
};
