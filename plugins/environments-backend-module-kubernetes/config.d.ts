import { HumanDuration } from '@backstage/types';

export interface Config {
  environments?: {
    kubernetes?: {
      /**
       * How long the Kubernetes deployer waits for a rollout to finish
       * before it marks the deployment failed, e.g. `10m` or
       * `{ minutes: 10 }`. Default 10 minutes.
       */
      rolloutTimeout?: HumanDuration | string;
      /**
       * The port the deployed containers listen on (named `http`); each
       * component's Service forwards port 80 to it. Default 8080.
       */
      containerPort?: number;
    };
  };
}
