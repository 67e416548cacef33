import { Table, TableColumn } from '@backstage/core-components';
import { Deployment } from '@internal/plugin-environments-common';
import { DeploymentStatus } from './DeploymentStatus';
import { age, describeTrigger, duration } from './format';

const historyColumns: TableColumn<Deployment>[] = [
  { title: 'Version', field: 'version', highlight: true },
  { title: 'Environment', field: 'environment' },
  {
    title: 'Status',
    field: 'status',
    render: d => <DeploymentStatus status={d.status} />,
  },
  { title: 'Triggered by', render: d => describeTrigger(d) },
  { title: 'Started', render: d => age(d.createdAt) },
  { title: 'Duration', render: d => duration(d) },
  { title: 'Message', field: 'message' },
];

/** Every deployment of the component, newest first, searchable. */
export const DeploymentHistory = ({
  deployments,
}: {
  deployments: Deployment[];
}) => (
  <Table<Deployment>
    title="Deployment history"
    columns={historyColumns}
    data={deployments}
    options={{ paging: true, pageSize: 10, padding: 'dense' }}
  />
);
