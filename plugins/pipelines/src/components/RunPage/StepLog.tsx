import {
  Fragment,
  memo,
  ReactNode,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import {
  Box,
  Button,
  IconButton,
  InputAdornment,
  makeStyles,
  TextField,
  Tooltip,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import KeyboardArrowDown from '@material-ui/icons/KeyboardArrowDown';
import KeyboardArrowUp from '@material-ui/icons/KeyboardArrowUp';
import Search from '@material-ui/icons/Search';
import VerticalAlignBottom from '@material-ui/icons/VerticalAlignBottom';
import { Progress } from '@backstage/core-components';
import { errorMessage } from '@internal/platform-react';
import { LogLine } from './logLines';
import { useStepLog } from './useStepLog';

const useStyles = makeStyles(theme => ({
  log: {
    minHeight: 120,
    maxHeight: 560,
    overflow: 'auto',
    backgroundColor: '#1e1e1e',
    color: '#d4d4d4',
    fontFamily: 'Menlo, Consolas, "DejaVu Sans Mono", monospace',
    fontSize: 12.5,
    lineHeight: '18px',
    padding: theme.spacing(1, 0),
    borderRadius: theme.shape.borderRadius,
  },
  line: {
    display: 'flex',
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    '&:hover': { backgroundColor: '#2a2d2e' },
  },
  number: {
    flex: '0 0 auto',
    width: 56,
    paddingRight: 12,
    textAlign: 'right',
    color: '#858585',
    userSelect: 'none',
  },
  stdout: {},
  stderr: { color: '#f48771' },
  system: { color: '#4fc1ff', fontStyle: 'italic' },
  match: { backgroundColor: '#613214', color: 'inherit' },
  current: { backgroundColor: '#d18616', color: '#000' },
  toolbar: { display: 'flex', alignItems: 'center', gap: theme.spacing(1) },
}));

type Match = { line: number; start: number };

/**
 * One line, re-rendered only when it or its matches change: a streaming
 * log appends to the end, and the lines before stay as they are.
 */
const LogRow = memo(function LogRowContent(props: {
  line: LogLine;
  number: number;
  /** The search, when this line has matches. */
  query: string;
  /** The global index of this line's first match. */
  firstMatch: number;
  /** The global index of the current match, when it is on this line. */
  current: number;
}) {
  const { line, number, query, firstMatch, current } = props;
  const classes = useStyles();
  let text: ReactNode = line.text;
  if (query) {
    const parts: ReactNode[] = [];
    const lower = line.text.toLocaleLowerCase();
    const q = query.toLocaleLowerCase();
    let pos = 0;
    let i = firstMatch;
    for (
      let at = lower.indexOf(q);
      at >= 0;
      at = lower.indexOf(q, at + q.length)
    ) {
      parts.push(<Fragment key={`t${i}`}>{line.text.slice(pos, at)}</Fragment>);
      parts.push(
        <mark
          key={i}
          className={i === current ? classes.current : classes.match}
          data-current-match={i === current ? 'true' : undefined}
        >
          {line.text.slice(at, at + q.length)}
        </mark>,
      );
      pos = at + q.length;
      i += 1;
    }
    parts.push(<Fragment key="rest">{line.text.slice(pos)}</Fragment>);
    text = parts;
  }
  return (
    <div
      className={`${classes.line} ${classes[line.stream]}`}
      data-stream={line.stream}
    >
      <span className={classes.number}>{number}</span>
      <span>{text}</span>
    </div>
  );
});

/** Where `query` occurs, line by line, case-insensitively. */
export function findMatches(lines: LogLine[], query: string): Match[] {
  const q = query.toLocaleLowerCase();
  if (!q) return [];
  const matches: Match[] = [];
  lines.forEach((line, index) => {
    const text = line.text.toLocaleLowerCase();
    for (
      let at = text.indexOf(q);
      at >= 0;
      at = text.indexOf(q, at + q.length)
    ) {
      matches.push({ line: index, start: at });
    }
  });
  return matches;
}

/**
 * A step's log as it is written: stderr and the engine's own lines set
 * apart, a search that highlights every match and steps through them, and
 * following the end until the reader scrolls up. Memoised: the run page
 * renders every second while the run goes on (its clock), and the log
 * changes only with its own reads.
 */
export const StepLog = memo(function StepLogContent({
  runId,
  step,
  attempt,
}: {
  runId: string;
  step: string;
  attempt: number;
}) {
  const classes = useStyles();
  const { lines, complete, loading, error, retry } = useStepLog({
    runId,
    step,
    attempt,
  });
  const [query, setQuery] = useState('');
  const [current, setCurrent] = useState(0);
  const [follow, setFollow] = useState(true);
  const box = useRef<HTMLDivElement>(null);
  const matches = useMemo(() => findMatches(lines, query), [lines, query]);

  useEffect(() => {
    setFollow(true);
    setQuery('');
  }, [step, attempt]);

  // Following: new lines scroll into view while the reader is at the end.
  useEffect(() => {
    const el = box.current;
    if (el && follow) el.scrollTop = el.scrollHeight;
  }, [lines, follow]);

  useEffect(() => {
    setCurrent(c => (c < matches.length ? c : 0));
  }, [matches.length]);

  useEffect(() => {
    if (matches.length === 0) return;
    box.current
      ?.querySelector('[data-current-match="true"]')
      ?.scrollIntoView?.({ block: 'center' });
  }, [current, query, matches.length]);

  const onScroll = () => {
    const el = box.current;
    if (!el) return;
    setFollow(el.scrollHeight - el.scrollTop - el.clientHeight < 24);
  };

  const go = (delta: number) => {
    if (matches.length === 0) return;
    setFollow(false);
    setCurrent(c => (c + delta + matches.length) % matches.length);
  };

  // The global index of each line's first match and how many it has.
  const byLine = new Map<number, { first: number; count: number }>();
  matches.forEach((m, i) => {
    const entry = byLine.get(m.line);
    if (entry) entry.count += 1;
    else byLine.set(m.line, { first: i, count: 1 });
  });

  return (
    <Box>
      <Box className={classes.toolbar} mb={1}>
        <TextField
          size="small"
          variant="outlined"
          placeholder="Search the log"
          value={query}
          onChange={e => {
            setQuery(e.target.value);
            setCurrent(0);
          }}
          onKeyDown={e => {
            if (e.key === 'Enter') go(e.shiftKey ? -1 : 1);
          }}
          inputProps={{ 'aria-label': 'Search the log' }}
          InputProps={{
            startAdornment: (
              <InputAdornment position="start">
                <Search fontSize="small" />
              </InputAdornment>
            ),
          }}
        />
        <Typography variant="body2" color="textSecondary">
          {query
            ? `${matches.length === 0 ? 0 : current + 1} of ${matches.length}`
            : ''}
        </Typography>
        <Tooltip title="Previous match (Shift+Enter)">
          <span>
            <IconButton
              size="small"
              aria-label="Previous match"
              disabled={matches.length === 0}
              onClick={() => go(-1)}
            >
              <KeyboardArrowUp />
            </IconButton>
          </span>
        </Tooltip>
        <Tooltip title="Next match (Enter)">
          <span>
            <IconButton
              size="small"
              aria-label="Next match"
              disabled={matches.length === 0}
              onClick={() => go(1)}
            >
              <KeyboardArrowDown />
            </IconButton>
          </span>
        </Tooltip>
        <Box flexGrow={1} />
        <Typography variant="body2" color="textSecondary">
          {complete ? `${lines.length} lines` : 'Streaming…'}
        </Typography>
        {!follow && (
          <Button
            size="small"
            startIcon={<VerticalAlignBottom />}
            onClick={() => setFollow(true)}
          >
            Follow
          </Button>
        )}
      </Box>
      {error && (
        <Alert
          severity="error"
          style={{ marginBottom: 8 }}
          action={
            <Button color="inherit" size="small" onClick={retry}>
              Retry
            </Button>
          }
        >
          {errorMessage(error)}
        </Alert>
      )}
      {loading ? (
        <Progress />
      ) : (
        <div
          className={classes.log}
          ref={box}
          onScroll={onScroll}
          data-testid="step-log"
        >
          {lines.length === 0 && (
            <div className={classes.line}>
              <span className={classes.number} />
              <span className={classes.system}>
                {complete ? 'The step wrote no output.' : 'Waiting for output…'}
              </span>
            </div>
          )}
          {lines.map((line, index) => {
            const here = byLine.get(index);
            return (
              <LogRow
                key={index}
                line={line}
                number={index + 1}
                query={here ? query : ''}
                firstMatch={here?.first ?? -1}
                current={
                  here &&
                  current >= here.first &&
                  current < here.first + here.count
                    ? current
                    : -1
                }
              />
            );
          })}
        </div>
      )}
    </Box>
  );
});
