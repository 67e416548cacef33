import { makeStyles } from '@material-ui/core';
import { LaunchpadMark } from './LogoIcon';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    alignItems: 'center',
    gap: 10,
  },
  mark: {
    height: 32,
    width: 32,
    flexShrink: 0,
  },
  name: {
    color: '#ffffff',
    fontSize: 22,
    fontWeight: 700,
    letterSpacing: 0.3,
  },
});

const LogoFull = () => {
  const classes = useStyles();
  return (
    <span className={classes.root}>
      <LaunchpadMark className={classes.mark} />
      <span className={classes.name}>Launchpad</span>
    </span>
  );
};

export default LogoFull;
