import { Artifact } from '@internal/plugin-pipelines-common';
import { toIso } from '@internal/platform-node';
import { Knex } from 'knex';
import { ArtifactRecord, ArtifactStore } from './ArtifactStore';
import { inChunks } from './inChunks';
import { getRunRow, Timestamp } from './runRows';

/** A row of the `artifacts` table. */
interface ArtifactRow {
  id: number;
  run_id: string;
  attempt: number;
  stage: string;
  type: string;
  reference: string;
  digest: string;
  tags: string;
  created_at: Timestamp;
}

function toArtifact(row: ArtifactRow): ArtifactRecord {
  return {
    runId: row.run_id,
    attempt: Number(row.attempt),
    type: row.type as Artifact['type'],
    stage: row.stage,
    image: row.reference,
    tags: JSON.parse(row.tags),
    digest: row.digest,
    createdAt: toIso(row.created_at),
  };
}

/** Artifacts in the `artifacts` table, deleted with their run. */
export class DatabaseArtifactStore implements ArtifactStore {
  constructor(private readonly db: Knex) {}

  async addArtifact(
    artifact: Omit<ArtifactRecord, 'createdAt'>,
    now = new Date(),
  ): Promise<ArtifactRecord> {
    await getRunRow(this.db, artifact.runId);
    const key = {
      run_id: artifact.runId,
      attempt: artifact.attempt,
      stage: artifact.stage,
    };
    await this.db<ArtifactRow>('artifacts')
      .insert({
        ...key,
        type: artifact.type,
        reference: artifact.image,
        digest: artifact.digest,
        tags: JSON.stringify(artifact.tags),
        created_at: now,
      })
      .onConflict(['run_id', 'attempt', 'stage'])
      .merge(['type', 'reference', 'digest', 'tags', 'created_at']);
    return toArtifact(
      (await this.db<ArtifactRow>('artifacts').where(key).first())!,
    );
  }

  async listArtifacts(runId: string): Promise<ArtifactRecord[]> {
    const rows = await this.db<ArtifactRow>('artifacts')
      .where({ run_id: runId })
      .orderBy('id', 'asc');
    return rows.map(toArtifact);
  }

  async listArtifactsByDigest(filter: {
    components: string[];
    digests: string[];
  }): Promise<ArtifactRecord[]> {
    const components = [...new Set(filter.components)];
    if (components.length === 0) return [];
    const found: ArtifactRow[] = [];
    // The components stay whole in each query: a team's are far fewer than
    // the deployments' digests.
    for (const part of inChunks([...new Set(filter.digests)])) {
      const rows = await this.db<ArtifactRow>('artifacts')
        .join('runs', 'runs.id', 'artifacts.run_id')
        .select('artifacts.*')
        .whereIn('runs.component', components)
        .whereIn('artifacts.digest', part);
      found.push(...rows);
    }
    return found.sort((a, b) => Number(a.id) - Number(b.id)).map(toArtifact);
  }
}
