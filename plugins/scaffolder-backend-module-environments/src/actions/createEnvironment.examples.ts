import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'A QA environment on a Kubernetes cluster',
    example: yaml.stringify({
      steps: [
        {
          id: 'create-environment',
          action: 'environments:create',
          name: 'Create the environment',
          input: {
            name: 'qa',
            title: 'QA',
            tier: 'staging',
            promotionOrder: 15,
            owner: 'group:default/team-payments',
            target: {
              type: 'kubernetes',
              cluster: 'eu-1',
              namespacePattern: '{component}-qa',
            },
          },
        },
      ],
    }),
  },
  {
    description:
      'A protected production environment deployed by Argo CD, approved by two groups',
    example: yaml.stringify({
      steps: [
        {
          id: 'create-environment',
          action: 'environments:create',
          name: 'Create the environment',
          input: {
            name: 'production-us',
            tier: 'production',
            promotionOrder: 30,
            owner: 'group:default/platform-admins',
            target: { type: 'external', system: 'argocd' },
            protected: true,
            approvers: [
              'group:default/platform-admins',
              'group:default/team-payments',
            ],
          },
        },
      ],
    }),
  },
];
