import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { DoraCharts } from './DoraCharts';

/**
 * The DORA tab of an entity page: a Group's figures over the components it
 * owns, any other entity's (a Component's) as one component.
 */
export const EntityDoraContent = () => {
  const { entity } = useEntity();
  const ref = stringifyEntityRef(entity);
  return entity.kind.toLowerCase() === 'group' ? (
    <DoraCharts owner={ref} />
  ) : (
    <DoraCharts component={ref} />
  );
};
