import { Router } from 'express';
import { jsonBody } from './jsonBody';
import { methodNotAllowed } from './methodNotAllowed';
import { numberParameters } from './numberParameters';
import { openApiRoutes } from './openApiRoutes';

/**
 * The largest request body the platform's APIs read. The largest field is an
 * environment variable's value (32768 characters), which JSON-escaped
 * (`\u0000`) or as four-byte UTF-8 takes up to 6 bytes a character: 256 KiB
 * holds it with room to spare, where express.json's default of 100 KiB does
 * not.
 *
 * @public
 */
export const API_BODY_LIMIT = '256kb';

/**
 * What a platform backend answers before its OpenAPI router sees a request:
 * 405 with `Allow` for a method the spec does not give a path (and 204 with
 * `Allow` for OPTIONS), 400 for an integer or number parameter that is not
 * written as one (digits, of a finite value), and for an operation that
 * takes a body: 415 for a body that is not `application/json`, 413 for one
 * over `bodyLimit`, 400 for one that is not JSON; then the JSON body, parsed.
 * The errors go to Backstage's error handler, so they have its shape
 * (`{ error: { name, message }, request, response }`).
 *
 * Mount it in front of the router `createValidatedOpenApiRouter` returns, not
 * in that router's `middleware` option: the router turns every error of the
 * middleware before its validator into a 400 `InputError`.
 *
 * @param openApiSpec - the plugin's OpenAPI document, as its generated router
 *   module exports it (`spec`).
 * @public
 */
export function apiRequestGuards(
  openApiSpec: object,
  options?: { bodyLimit?: string },
): Router {
  const routes = openApiRoutes(openApiSpec);
  const router = Router();
  router.use(
    methodNotAllowed(routes),
    numberParameters(routes),
    jsonBody(routes, options?.bodyLimit ?? API_BODY_LIMIT),
  );
  return router;
}
