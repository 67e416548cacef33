import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      environments?: {
        /**
         * How often environments are read again into the catalog besides
         * after every change the environments backend announces; every 10
         * minutes by default.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
}
