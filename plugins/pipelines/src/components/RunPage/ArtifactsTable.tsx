import { CopyTextButton, Table, TableColumn } from '@backstage/core-components';
import { Box, Chip } from '@material-ui/core';
import { PipelineArtifactView } from '@internal/plugin-pipelines-common';
import { relativeTime } from '../shared/format';

/** What the image stages of a run pushed: reference, tags and digest. */
export const ArtifactsTable = ({
  artifacts,
}: {
  artifacts: PipelineArtifactView[];
}) => {
  const columns: TableColumn<PipelineArtifactView>[] = [
    { title: 'Stage', field: 'stage' },
    { title: 'Attempt', field: 'attempt', width: '80px' },
    {
      title: 'Image',
      render: a => (
        <Box display="flex" alignItems="center">
          <code style={{ wordBreak: 'break-all' }}>{a.image}</code>
          <CopyTextButton text={a.image} tooltipText="Image reference copied" />
        </Box>
      ),
    },
    {
      title: 'Tags',
      render: a => (
        <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
          {a.tags.map(tag => (
            <Chip key={tag} size="small" label={tag} />
          ))}
        </Box>
      ),
    },
    {
      title: 'Digest',
      render: a => (
        <Box display="flex" alignItems="center">
          <code title={a.digest}>{a.digest.slice(0, 19)}…</code>
          <CopyTextButton
            text={a.digest}
            tooltipText="Digest copied"
            aria-label="Copy digest"
          />
        </Box>
      ),
    },
    { title: 'Pushed', render: a => relativeTime(a.createdAt) },
  ];
  return (
    <Table<PipelineArtifactView>
      title="Artifacts"
      columns={columns}
      data={artifacts}
      options={{ paging: false, search: false, padding: 'dense' }}
    />
  );
};
