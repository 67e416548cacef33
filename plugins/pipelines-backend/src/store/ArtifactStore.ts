import { PipelineArtifactView } from '@internal/plugin-pipelines-common';

/** An artifact a stage of one attempt of a run produced. */
export type ArtifactRecord = PipelineArtifactView & {
  runId: string;
};

/** What the stages of runs produced. */
export interface ArtifactStore {
  /**
   * Records what a stage of an attempt produced, replacing what the same
   * stage of the same attempt recorded before (an engine retaking the run).
   * A NotFoundError when there is no such run.
   */
  addArtifact(
    artifact: Omit<ArtifactRecord, 'createdAt'>,
    now?: Date,
  ): Promise<ArtifactRecord>;
  /** The artifacts of every attempt of a run, oldest first. */
  listArtifacts(runId: string): Promise<ArtifactRecord[]>;
  /**
   * The artifacts with one of these digests that runs of these components
   * produced, oldest first: a deployment carries the image, not the run
   * that built it.
   */
  listArtifactsByDigest(filter: {
    components: string[];
    digests: string[];
  }): Promise<ArtifactRecord[]>;
}
