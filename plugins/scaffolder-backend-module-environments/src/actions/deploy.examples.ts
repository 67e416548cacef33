import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Deploys the component the template has just rendered (its catalog-info.yaml) to dev',
    example: yaml.stringify({
      steps: [
        {
          id: 'deploy',
          action: 'environments:deploy',
          name: 'Deploy to dev',
          input: {
            environment: 'dev',
            version: '0.1.0',
            artifact: {
              image: 'registry.example.com/invoice-service:0.1.0',
              digest: `sha256:${'0'.repeat(64)}`,
            },
          },
        },
      ],
    }),
  },
  {
    description:
      'Deploys a named component to staging and waits up to five minutes for the outcome',
    example: yaml.stringify({
      steps: [
        {
          id: 'deploy',
          action: 'environments:deploy',
          name: 'Deploy to staging',
          input: {
            component: 'component:default/payments-api',
            environment: 'staging',
            version: '1.4.0',
            artifact: {
              image: 'registry.example.com/payments-api:1.4.0',
              digest:
                'sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae',
            },
            waitForCompletion: true,
            timeoutSeconds: 300,
          },
        },
      ],
    }),
  },
];
