import { UnsupportedMediaTypeError } from '@internal/platform-node';
import contentType from 'content-type';
import { Router } from 'express';

/**
 * Answers a POST to a signed ingress whose `Content-Type` is missing,
 * malformed or not `application/json` with 415, naming the header. The
 * events backend parses the header first thing and answers a missing or
 * malformed one 500; registered by a module, this runs before it.
 *
 * @param topics - the ingress topics, each at `POST /http/<topic>`.
 */
export function requireJsonContentType(topics: string[]): Router {
  const router = Router();
  for (const topic of topics) {
    router.post(`/http/${topic}`, (req, _res, next) => {
      const header = req.headers['content-type'];
      let type: string | undefined;
      try {
        type = contentType.parse(req).type;
      } catch {
        // Missing or malformed: said below.
      }
      if (type === 'application/json') {
        next();
        return;
      }
      next(
        new UnsupportedMediaTypeError(
          header
            ? `Content-Type '${header}' is not supported: a webhook delivery is sent as application/json`
            : 'Content-Type is missing: a webhook delivery is sent as application/json',
        ),
      );
    });
  }
  return router;
}
