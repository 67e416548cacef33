import { HumanDuration } from '@backstage/types';

export interface Config {
  pipelines?: {
    deliveries?: {
      /**
       * How long webhook deliveries are kept; older ones are deleted by an
       * hourly task. Default 90 days. An object such as `{ days: 30 }`, an
       * ISO 8601 duration (`P30D`) or a string such as `30d`.
       */
      retention?: HumanDuration | string;
    };
  };
}
