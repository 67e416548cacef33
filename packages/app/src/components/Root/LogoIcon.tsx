import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  svg: {
    width: 'auto',
    height: 28,
  },
});

/** The Launchpad mark: a rocket leaving a pad, drawn in two colours. */
export const LaunchpadMark = ({ className }: { className?: string }) => (
  <svg
    className={className}
    xmlns="http://www.w3.org/2000/svg"
    viewBox="0 0 64 64"
    role="img"
    aria-label="Launchpad"
  >
    <rect x="2" y="2" width="60" height="60" rx="14" fill="#1f6feb" />
    <path
      d="M32 10c7 5 10 13 10 22l-4 8H26l-4-8c0-9 3-17 10-22z"
      fill="#ffffff"
    />
    <circle cx="32" cy="27" r="4" fill="#1f6feb" />
    <path d="M26 40l-6 6 2-10zM38 40l6 6-2-10z" fill="#9ecbff" />
    <path d="M28 42h8l-4 9z" fill="#ffb454" />
    <rect x="14" y="53" width="36" height="3" rx="1.5" fill="#9ecbff" />
  </svg>
);

const LogoIcon = () => {
  const classes = useStyles();
  return <LaunchpadMark className={classes.svg} />;
};

export default LogoIcon;
