import { AppTheme } from '@backstage/core-plugin-api';
import {
  createUnifiedTheme,
  genPageTheme,
  palettes,
  shapes,
  UnifiedThemeProvider,
} from '@backstage/theme';
import DarkIcon from '@material-ui/icons/Brightness2';
import LightIcon from '@material-ui/icons/WbSunny';

const brand = {
  blue: '#1f6feb',
  navy: '#0d1b2e',
  sky: '#9ecbff',
  amber: '#ffb454',
};

/** Page header colours: one family, so the portal reads as one product. */
const pageTheme = {
  home: genPageTheme({ colors: [brand.navy, brand.blue], shape: shapes.wave }),
  documentation: genPageTheme({
    colors: [brand.navy, '#2f81f7'],
    shape: shapes.wave2,
  }),
  tool: genPageTheme({ colors: [brand.navy, '#388bfd'], shape: shapes.round }),
  service: genPageTheme({
    colors: [brand.navy, brand.blue],
    shape: shapes.wave,
  }),
  website: genPageTheme({
    colors: [brand.navy, '#1a7f64'],
    shape: shapes.wave,
  }),
  library: genPageTheme({
    colors: [brand.navy, '#6e40c9'],
    shape: shapes.wave,
  }),
  other: genPageTheme({ colors: [brand.navy, '#57606a'], shape: shapes.wave }),
  app: genPageTheme({ colors: [brand.navy, brand.blue], shape: shapes.wave }),
  apis: genPageTheme({ colors: [brand.navy, '#8250df'], shape: shapes.wave2 }),
};

function launchpadTheme(variant: 'light' | 'dark') {
  const base = palettes[variant];
  return createUnifiedTheme({
    palette: {
      ...base,
      primary: { main: variant === 'light' ? brand.blue : brand.sky },
      secondary: { main: brand.amber },
      navigation: {
        ...base.navigation,
        background: variant === 'light' ? brand.navy : '#08111f',
        indicator: brand.amber,
        color: '#c9d4e3',
        selectedColor: '#ffffff',
      },
    },
    defaultPageTheme: 'home',
    pageTheme,
  });
}

/** The light Launchpad theme. @public */
export const launchpadLightTheme = launchpadTheme('light');

/** The dark Launchpad theme. @public */
export const launchpadDarkTheme = launchpadTheme('dark');

function appTheme(
  variant: 'light' | 'dark',
  title: string,
  icon: JSX.Element,
  theme: ReturnType<typeof launchpadTheme>,
): AppTheme {
  return {
    id: `launchpad-${variant}`,
    title,
    variant,
    icon,
    Provider: ({ children }) => (
      <UnifiedThemeProvider theme={theme} children={children} />
    ),
  };
}

/** The themes users can pick in their settings. @public */
export const launchpadThemes: AppTheme[] = [
  appTheme('light', 'Light', <LightIcon />, launchpadLightTheme),
  appTheme('dark', 'Dark', <DarkIcon />, launchpadDarkTheme),
];
