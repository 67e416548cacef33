import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Runs the pipeline of the component the template has just rendered (its catalog-info.yaml), on its default branch',
    example: yaml.stringify({
      steps: [
        {
          id: 'first-build',
          action: 'pipelines:trigger',
          name: 'First build',
        },
      ],
    }),
  },
  {
    description:
      'Runs the pipeline of a named component on a branch and waits up to ten minutes for it to succeed',
    example: yaml.stringify({
      steps: [
        {
          id: 'build',
          action: 'pipelines:trigger',
          name: 'Build the release branch',
          input: {
            component: 'component:default/payments-api',
            branch: 'release/1.4',
            waitForCompletion: true,
            timeoutSeconds: 600,
          },
        },
      ],
      output: {
        links: [
          { title: 'Pipeline run', url: "${{ steps['build'].output.runUrl }}" },
        ],
      },
    }),
  },
];
