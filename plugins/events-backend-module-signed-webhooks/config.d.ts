export interface Config {
  events?: {
    modules?: {
      github?: {
        /**
         * The secret of the GitHub webhook: a delivery to
         * `POST /api/events/http/github` is accepted only when its
         * `X-Hub-Signature-256` is the HMAC-SHA256 of the body with it.
         * Required when `events.http.topics` lists `github`. The key
         * Backstage's GitHub events module reads, so its configuration
         * works unchanged.
         * @visibility secret
         */
        webhookSecret?: string;
      };
      gitlab?: {
        /**
         * The secret token of the GitLab webhook: a delivery to
         * `POST /api/events/http/gitlab` is accepted only when its
         * `X-Gitlab-Token` equals it. Required when `events.http.topics`
         * lists `gitlab`. The key Backstage's GitLab events module reads.
         * @visibility secret
         */
        webhookSecret?: string;
      };
    };
  };
}
