/** An object as the fake API server stores and serves it: plain JSON. @public */
export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    generateName?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Array<{
      apiVersion: string;
      kind: string;
      name: string;
      uid: string;
      controller?: boolean;
      blockOwnerDeletion?: boolean;
    }>;
    managedFields?: ManagedFieldsEntry[];
    [key: string]: unknown;
  };
  spec?: any;
  status?: any;
  [key: string]: unknown;
};

/** One field manager's claim on an object, as `metadata.managedFields` lists it. @public */
export type ManagedFieldsEntry = {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
};

/** A change to a stored object, as watchers receive it. @public */
export type KubeWatchEvent = {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** The object after the change; for DELETED, as it was last. */
  object: KubeObject;
  /** The object before the change, for watchers whose selector it no longer matches. */
  previous?: KubeObject;
  resourceVersion: number;
  group: string;
  plural: string;
};
