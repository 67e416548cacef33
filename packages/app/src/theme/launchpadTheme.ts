import {
  createUnifiedTheme,
  genPageTheme,
  palettes,
  shapes,
} from '@backstage/theme';

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

/** The light Launchpad theme. @public */
export const launchpadLightTheme = createUnifiedTheme({
  palette: {
    ...palettes.light,
    primary: { main: brand.blue },
    secondary: { main: brand.amber },
    navigation: {
      ...palettes.light.navigation,
      background: brand.navy,
      indicator: brand.amber,
      color: '#c9d4e3',
      selectedColor: '#ffffff',
    },
  },
  defaultPageTheme: 'home',
  pageTheme,
});

/** The dark Launchpad theme. @public */
export const launchpadDarkTheme = createUnifiedTheme({
  palette: {
    ...palettes.dark,
    primary: { main: brand.sky },
    secondary: { main: brand.amber },
    navigation: {
      ...palettes.dark.navigation,
      background: '#08111f',
      indicator: brand.amber,
    },
  },
  defaultPageTheme: 'home',
  pageTheme,
});
