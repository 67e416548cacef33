import { InfoCard } from '@backstage/core-components';
import { Box, Chip, Tooltip, Typography } from '@material-ui/core';
import { DoraFigures } from '@internal/plugin-pipelines-common';
import { BAND_HINTS, BAND_STYLE } from './doraFormat';
import { DoraFigureName, FIGURE_VIEWS, WeekRow } from './figureViews';
import { WeeklyChart } from './WeeklyChart';

/** One DORA figure: its total as the headline, its band, and its weekly chart. */
export function FigureCard(props: {
  figure: DoraFigureName;
  figures: DoraFigures;
  weeks: WeekRow[];
}) {
  const { figure, figures, weeks } = props;
  const view = FIGURE_VIEWS[figure];
  const { title } = view;
  const band = figures[figure].band;
  return (
    <InfoCard title={title}>
      <Box display="flex" alignItems="center" mb={1}>
        <Typography variant="h4" component="p" aria-label={`${title} total`}>
          {view.headline(figures)}
        </Typography>
        <Box ml={2}>
          <Tooltip title={BAND_HINTS[figure]}>
            {band ? (
              <Chip
                size="small"
                label={BAND_STYLE[band].label}
                aria-label={`${title} band ${band}`}
                style={{
                  backgroundColor: BAND_STYLE[band].color,
                  color: '#fff',
                }}
              />
            ) : (
              <Chip size="small" variant="outlined" label="No band" />
            )}
          </Tooltip>
        </Box>
      </Box>
      <Typography variant="body2" color="textSecondary" gutterBottom>
        {view.detail(figures)}
      </Typography>
      <Box height={200}>
        <WeeklyChart weeks={weeks} chart={view.chart} series={view.series} />
      </Box>
    </InfoCard>
  );
}
