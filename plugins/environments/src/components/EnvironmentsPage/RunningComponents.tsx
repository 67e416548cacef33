import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Typography } from '@material-ui/core';
import { DeploymentHead } from '@internal/plugin-environments-common';

const SHOWN = 5;

/** The components running in an environment, with their versions. */
export const RunningComponents = ({ heads }: { heads: DeploymentHead[] }) => {
  const running = heads.filter(h => h.live);
  if (running.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        Nothing yet
      </Typography>
    );
  }
  return (
    <>
      {running.slice(0, SHOWN).map(h => (
        <Typography key={h.component} variant="body2" noWrap>
          <EntityRefLink entityRef={h.component} hideIcon /> {h.live!.version}
        </Typography>
      ))}
      {running.length > SHOWN && (
        <Typography variant="caption" color="textSecondary">
          and {running.length - SHOWN} more
        </Typography>
      )}
    </>
  );
};
