import {
  Content,
  EmptyState,
  Header,
  Page,
  TabbedLayout,
} from '@backstage/core-components';
import { Route, Routes } from 'react-router-dom';
import { RunPage } from '../RunPage';
import { RunsTable } from '../shared/RunsTable';
import { DeliveriesTable } from './DeliveriesTable';

/** The runs of every component the reader may see, and the webhook deliveries. */
export const PipelinesOverview = () => (
  <Page themeId="tool">
    <Header
      title="Pipelines"
      subtitle="Runs of every component's pipeline, and the webhooks that start them"
    />
    <TabbedLayout>
      <TabbedLayout.Route path="/" title="Runs">
        <Content noPadding>
          <RunsTable
            title="Runs"
            emptyState={
              <EmptyState
                missing="content"
                title="No pipeline runs yet"
                description="A run starts when commits are pushed to a component's repository with the platform's webhook configured, or with Run pipeline on the component's Pipelines tab. The repository's .platform/pipeline.yaml says what runs (without it, the default pipeline of the component's type)."
              />
            }
          />
        </Content>
      </TabbedLayout.Route>
      <TabbedLayout.Route path="/deliveries" title="Webhook deliveries">
        <Content noPadding>
          <DeliveriesTable />
        </Content>
      </TabbedLayout.Route>
    </TabbedLayout>
  </Page>
);

/** The Pipelines page and, under `runs/:runId`, the page of one run. */
export const PipelinesPage = () => (
  <Routes>
    <Route path="/runs/:runId" element={<RunPage />} />
    <Route path="/*" element={<PipelinesOverview />} />
  </Routes>
);
