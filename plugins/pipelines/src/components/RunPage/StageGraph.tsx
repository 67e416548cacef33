import {
  Box,
  List,
  ListItem,
  ListItemIcon,
  ListItemText,
  makeStyles,
  Paper,
  Typography,
} from '@material-ui/core';
import ChevronRight from '@material-ui/icons/ChevronRight';
import { PipelineStepRunView } from '@internal/plugin-pipelines-common';
import { formatDuration } from '../shared/format';
import { statusColour, StatusIcon } from '../shared/StatusChip';
import { CHECKOUT_STEP, StageNode } from './stageGraph';

const useStyles = makeStyles(theme => ({
  graph: {
    display: 'flex',
    alignItems: 'flex-start',
    overflowX: 'auto',
    paddingBottom: theme.spacing(1),
  },
  column: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
    minWidth: 220,
    maxWidth: 280,
  },
  arrow: {
    alignSelf: 'center',
    color: theme.palette.text.secondary,
    margin: theme.spacing(0, 0.5),
  },
  stage: { borderTop: '3px solid', overflow: 'hidden' },
  stageTitle: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(1, 1.5, 0.5),
  },
  step: { paddingTop: 2, paddingBottom: 2 },
  icon: { minWidth: 28 },
  // An endpoint URL is one long word; it wraps rather than widen the card.
  // ListItemText keeps its text on one line (white-space: nowrap, clipped),
  // which would cut the waiting text after its first words.
  waiting: { display: 'block', whiteSpace: 'normal', overflowWrap: 'anywhere' },
}));

/**
 * What a running step waits for outside the executor (a deploy stage for
 * an external CD system's report), as the run page says it.
 */
export function waitingText(step: PipelineStepRunView): string | undefined {
  return step.status === 'running' && step.waitingFor
    ? `Waiting for ${step.waitingFor}`
    : undefined;
}

/** A step's line under its name: how long, reused, tries, exit code, and what it waits for. */
const StepDetails = ({
  step,
  now,
}: {
  step: PipelineStepRunView;
  now: number;
}) => {
  const classes = useStyles();
  const waiting = waitingText(step);
  return (
    <>
      {[
        formatDuration(step.startedAt, step.finishedAt, now),
        step.reused ? 'reused' : undefined,
        step.tries > 1 ? `${step.tries} tries` : undefined,
        step.exitCode ? `exit ${step.exitCode}` : undefined,
      ]
        .filter(Boolean)
        .join(' · ')}
      {waiting && (
        <span className={classes.waiting} data-testid={`waiting-${step.step}`}>
          {waiting}
        </span>
      )}
    </>
  );
};

/** A step run's name as people read it: the checkout is `checkout`. */
export function stepTitle(step: string): string {
  return step === CHECKOUT_STEP ? 'checkout' : step;
}

/**
 * The stages of a run left to right in the order they waited for each
 * other, each a card of its steps with their status (and, while one waits
 * for something outside the executor, for what); a click on a step selects
 * it (its log is shown below).
 */
export const StageGraph = ({
  columns,
  selected,
  onSelect,
  now,
}: {
  columns: StageNode[][];
  selected?: string;
  onSelect: (step: PipelineStepRunView) => void;
  now: number;
}) => {
  const classes = useStyles();
  return (
    <div className={classes.graph} data-testid="stage-graph">
      {columns.map((column, index) => (
        <Box key={index} display="flex" alignItems="flex-start">
          {index > 0 && (
            <Box className={classes.arrow} pt={3}>
              <ChevronRight />
            </Box>
          )}
          <div className={classes.column}>
            {column.map(stage => (
              <Paper
                key={stage.name}
                className={classes.stage}
                style={{ borderTopColor: statusColour(stage.status) }}
                data-testid={`stage-${stage.name}`}
                data-column={index}
              >
                <div className={classes.stageTitle}>
                  <StatusIcon status={stage.status} />
                  <Typography variant="subtitle2" noWrap>
                    {stepTitle(stage.name)}
                  </Typography>
                  <Box flexGrow={1} />
                  <Typography variant="caption" color="textSecondary">
                    {formatDuration(stage.startedAt, stage.finishedAt, now)}
                  </Typography>
                </div>
                <List dense disablePadding>
                  {stage.steps.map(step => (
                    <ListItem
                      key={step.step}
                      button
                      // A step not started yet has no log to show.
                      disabled={step.status === 'pending' && step.tries === 0}
                      selected={selected === step.step}
                      onClick={() => onSelect(step)}
                      className={classes.step}
                      aria-label={`Step ${stepTitle(step.step)}: ${
                        step.status
                      }`}
                    >
                      <ListItemIcon className={classes.icon}>
                        <StatusIcon status={step.status} />
                      </ListItemIcon>
                      <ListItemText
                        primary={stepTitle(step.step)}
                        secondary={<StepDetails step={step} now={now} />}
                        primaryTypographyProps={{ noWrap: true }}
                      />
                    </ListItem>
                  ))}
                </List>
              </Paper>
            ))}
          </div>
        </Box>
      ))}
    </div>
  );
};
