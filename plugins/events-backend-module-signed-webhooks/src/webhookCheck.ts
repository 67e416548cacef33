import {
  RequestDetails,
  RequestValidator,
} from '@backstage/plugin-events-node';
import { rejectUnauthenticated } from './rejection';

/**
 * Checks a webhook request's signature or token against its raw body and
 * headers: what is wrong with it, naming the header, or undefined when it
 * holds. The message never carries what was sent or what was expected.
 */
export type WebhookCheck = (
  headers: RequestDetails['headers'],
  rawBody: Buffer,
) => string | undefined;

/** The events backend's validator for an ingress: the check, answered 401. */
export function validatorOf(check: WebhookCheck): RequestValidator {
  return async (request, context) => {
    const problem = check(request.headers, request.raw.body);
    if (problem) rejectUnauthenticated(context, problem);
  };
}
