import { InfoCard } from '@backstage/core-components';
import {
  Button,
  List,
  ListItem,
  ListItemSecondaryAction,
  ListItemText,
} from '@material-ui/core';
import { Promotion } from '@internal/plugin-environments-common';
import { age } from './format';

/**
 * Promotions into protected environments that wait for an approver. Anyone
 * may press Approve; the backend decides whether they are an approver other
 * than the requester and says so when not.
 */
export const PendingPromotions = ({
  promotions,
  onApprove,
}: {
  promotions: Promotion[];
  onApprove: (promotion: Promotion) => void;
}) => (
  <InfoCard title="Waiting for approval">
    <List dense>
      {promotions.map(p => (
        <ListItem key={p.id}>
          <ListItemText
            primary={`${p.version}: ${p.from} → ${p.to}`}
            secondary={`Requested by ${p.requestedBy} ${age(p.createdAt)}`}
          />
          <ListItemSecondaryAction>
            <Button
              size="small"
              color="primary"
              variant="contained"
              onClick={() => onApprove(p)}
            >
              Approve
            </Button>
          </ListItemSecondaryAction>
        </ListItem>
      ))}
    </List>
  </InfoCard>
);
