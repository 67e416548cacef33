export { DoraCharts } from './DoraCharts';
export type { DoraChartsProps } from './DoraCharts';
export { EntityDoraContent } from './EntityDoraContent';
