import { Chip, makeStyles } from '@material-ui/core';
import { EnvironmentTier } from '@internal/plugin-environments-common';

const tierColours: Record<EnvironmentTier, string> = {
  development: '#2e7d32',
  staging: '#ed6c02',
  production: '#c62828',
  preview: '#6a1b9a',
};

const useStyles = makeStyles({
  chip: (props: { colour: string }) => ({
    borderColor: props.colour,
    color: props.colour,
    fontWeight: 600,
    textTransform: 'capitalize',
  }),
});

/** The tier of an environment, coloured by how guarded it is. */
export const TierChip = ({ tier }: { tier: EnvironmentTier }) => {
  const classes = useStyles({ colour: tierColours[tier] });
  return (
    <Chip
      label={tier}
      size="small"
      variant="outlined"
      className={classes.chip}
    />
  );
};
