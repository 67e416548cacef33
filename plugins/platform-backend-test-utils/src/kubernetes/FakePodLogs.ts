/** One container's log: what it wrote so far, and whether it has ended. */
type ContainerLog = {
  chunks: Buffer[];
  ended: boolean;
  followers: Set<(chunk: Buffer | undefined) => void>;
};

/**
 * The containers' logs, as the kubelet keeps them and the API server's
 * `pods/<name>/log` endpoint serves them: per pod (by uid) and container,
 * stdout and stderr interleaved as they were written.
 *
 * @public
 */
export class FakePodLogs {
  private readonly logs = new Map<string, ContainerLog>();

  private key(podUid: string, container: string) {
    return `${podUid}/${container}`;
  }

  /** Starts a container's log; what it had before (an earlier run) is dropped. */
  open(podUid: string, container: string): void {
    this.logs.set(this.key(podUid, container), {
      chunks: [],
      ended: false,
      followers: new Set(),
    });
  }

  append(podUid: string, container: string, chunk: Buffer): void {
    const log = this.logs.get(this.key(podUid, container));
    if (!log || log.ended) return;
    log.chunks.push(chunk);
    for (const follower of log.followers) follower(chunk);
  }

  /** The container has exited: followers' streams end. */
  end(podUid: string, container: string): void {
    const log = this.logs.get(this.key(podUid, container));
    if (!log || log.ended) return;
    log.ended = true;
    for (const follower of log.followers) follower(undefined);
    log.followers.clear();
  }

  /** Forgets a deleted pod's logs. */
  remove(podUid: string): void {
    for (const key of [...this.logs.keys()]) {
      if (key.startsWith(`${podUid}/`)) {
        this.end(podUid, key.slice(podUid.length + 1));
        this.logs.delete(key);
      }
    }
  }

  /** Whether the container has started (and so has a log). */
  has(podUid: string, container: string): boolean {
    return this.logs.has(this.key(podUid, container));
  }

  /** The log so far. */
  text(podUid: string, container: string): string {
    return Buffer.concat(
      this.logs.get(this.key(podUid, container))?.chunks ?? [],
    ).toString('utf8');
  }

  /**
   * Calls `onChunk` with what was written so far and then with every new
   * chunk, and with `undefined` once the log has ended (at once when it has
   * already). Returns how to stop following.
   */
  follow(
    podUid: string,
    container: string,
    onChunk: (chunk: Buffer | undefined) => void,
  ): () => void {
    const log = this.logs.get(this.key(podUid, container));
    if (!log) {
      onChunk(undefined);
      return () => {};
    }
    for (const chunk of log.chunks) onChunk(chunk);
    if (log.ended) {
      onChunk(undefined);
      return () => {};
    }
    log.followers.add(onChunk);
    return () => log.followers.delete(onChunk);
  }
}
