import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { FigureView, WeekRow } from './figureViews';

const tick = { fontSize: 12 };

/**
 * One figure per week, sized to its container: counts as bars (several
 * series stacked, with a legend), medians in hours as a line.
 */
export function WeeklyChart(props: {
  weeks: WeekRow[];
  chart: FigureView['chart'];
  series: FigureView['series'];
}) {
  const { weeks, chart, series } = props;
  // recharts finds its parts among the chart's direct children, so the
  // shared ones are repeated in each branch rather than wrapped.
  return (
    <ResponsiveContainer>
      {chart === 'count' ? (
        <BarChart data={weeks}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="week" tick={tick} />
          <YAxis allowDecimals={false} tick={tick} />
          <Tooltip />
          {series.length > 1 && <Legend />}
          {series.map(s => (
            <Bar
              key={s.dataKey}
              dataKey={s.dataKey}
              name={s.name}
              fill={s.color}
              stackId={series.length > 1 ? 'stack' : undefined}
            />
          ))}
        </BarChart>
      ) : (
        <LineChart data={weeks}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="week" tick={tick} />
          <YAxis unit=" h" tick={tick} />
          <Tooltip />
          {series.length > 1 && <Legend />}
          {series.map(s => (
            <Line
              key={s.dataKey}
              dataKey={s.dataKey}
              name={s.name}
              stroke={s.color}
              connectNulls
            />
          ))}
        </LineChart>
      )}
    </ResponsiveContainer>
  );
}
