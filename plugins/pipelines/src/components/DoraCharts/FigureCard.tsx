import { ReactElement } from 'react';
import { ResponsiveContainer } from 'recharts';
import { InfoCard } from '@backstage/core-components';
import { Box, Chip, Tooltip, Typography } from '@material-ui/core';
import { DoraBand } from '@internal/plugin-pipelines-common';
import { BAND_STYLE } from './doraFormat';

/** One DORA figure: its total as the headline, its band, and its weekly chart. */
export function FigureCard(props: {
  title: string;
  headline: string;
  detail: string;
  band?: DoraBand;
  bandHint: string;
  /** A recharts chart, sized to the card. */
  children: ReactElement;
}) {
  const { title, headline, detail, band, bandHint, children } = props;
  return (
    <InfoCard title={title}>
      <Box display="flex" alignItems="center" mb={1}>
        <Typography variant="h4" component="p" aria-label={`${title} total`}>
          {headline}
        </Typography>
        <Box ml={2}>
          <Tooltip title={bandHint}>
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
        {detail}
      </Typography>
      <Box height={200}>
        <ResponsiveContainer>{children}</ResponsiveContainer>
      </Box>
    </InfoCard>
  );
}
