/*
 * What every answer must satisfy, whatever the request: no 5xx the spec
 * does not itself declare, a status the spec declares, a body matching the
 * declared schema, a 4xx for a request the spec rejects, and a 401 without
 * a valid token.
 */
import { declaredResponse, Operation } from './openapiSpecs';
import { Exchange } from './sendRequest';
import { schemaErrors } from './specValidation';

/** A broken promise of the API, and how to tell it from others like it. */
export interface Problem {
  check:
    | 'server error'
    | 'no answer'
    | 'accepted an invalid request'
    | "passed on another service's error"
    | 'status not in the spec'
    | 'body not as the spec says'
    | 'no 401 without a valid token'
    | 'no security scheme in the spec';
  /**
   * Two problems with the same signature are the same finding: the check,
   * the status and the gist (error name and message with the numbers and
   * names taken out, the schema keyword and where it failed, or where the
   * invalid request was broken).
   */
  signature: string;
  detail: string;
}

/** A message with what varies from request to request taken out. */
export function gist(message: string): string {
  return message
    .replace(
      /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi,
      '<uuid>',
    )
    .replace(/'[^']*'|"[^"]*"|`[^`]*`/g, "'…'")
    .replace(/\d+(\.\d+)?(e[+-]?\d+)?/gi, '<n>')
    .slice(0, 160);
}

function errorOf(json: unknown): {
  name?: string;
  message?: string;
  code?: string;
} {
  const error = (json as { error?: Record<string, unknown> })?.error;
  const text = (key: string) =>
    typeof error?.[key] === 'string' ? (error[key] as string) : undefined;
  return { name: text('name'), message: text('message'), code: text('code') };
}

/** The answer's body against the response the spec declares for its status. */
function bodyProblems(op: Operation, exchange: Exchange): Problem[] {
  const status = exchange.status!;
  const declared = declaredResponse(op, status);
  if (!declared) {
    return [
      {
        check: 'status not in the spec',
        signature: `status not in the spec: ${status}`,
        detail: `${status} is neither declared for ${op.operationId} nor covered by a range or default response`,
      },
    ];
  }
  if (!declared.schema) {
    return exchange.text.length
      ? [
          {
            check: 'body not as the spec says',
            signature: `body not as the spec says: ${status} has a body`,
            detail: `the spec declares no body for ${status}, the answer has ${exchange.text.length} bytes`,
          },
        ]
      : [];
  }
  if (exchange.json === undefined) {
    return [
      {
        check: 'body not as the spec says',
        signature: `body not as the spec says: ${status} not JSON`,
        detail: `the spec declares a JSON body for ${status}; the answer is ${
          exchange.contentType ?? 'without a content type'
        }${exchange.text ? '' : ' and empty'}`,
      },
    ];
  }
  const errors = schemaErrors(declared.schema, exchange.json);
  if (!errors.length) return [];
  const described = errors
    .slice(0, 5)
    .map(e => `${e.instancePath || '/'} ${e.message}`);
  const places = [
    ...new Set(
      errors.map(
        e =>
          `${e.instancePath.replace(/\/\d+(?=\/|$)/g, '/*') || '/'} ${
            e.keyword
          }`,
      ),
    ),
  ]
    .sort()
    .slice(0, 3);
  return [
    {
      check: 'body not as the spec says',
      signature: `body not as the spec says: ${status} ${places.join(', ')}`,
      detail: `the body does not match the schema declared for ${status}: ${described.join(
        '; ',
      )}`,
    },
  ];
}

/**
 * The problems of one answer to a request sent with a user token;
 * `invalidity` says why the spec rejects the request, if it does.
 */
export function checkExchange(
  op: Operation,
  exchange: Exchange,
  invalidity: string | undefined,
): Problem[] {
  const { status } = exchange;
  if (status === undefined) {
    return [
      {
        check: 'no answer',
        signature: `no answer: ${gist(exchange.error ?? '')}`,
        detail: exchange.error ?? 'no answer',
      },
    ];
  }
  const problems: Problem[] = [];
  // A 5xx is the server failing, unless the spec names that very status
  // for the operation (503 when previews or secrets are not configured).
  if (status >= 500 && !op.responses.has(String(status))) {
    const { name, message, code } = errorOf(exchange.json);
    problems.push({
      check: 'server error',
      // A database error's message holds the whole query, different for
      // every filter; its code (SQLITE_MISMATCH) names the fault.
      signature: `server error: ${status} ${name ?? ''}: ${
        code ?? gist(message ?? exchange.text)
      }`,
      detail: `${status} ${name ?? ''}: ${
        message ?? exchange.text.slice(0, 300)
      }`,
    });
  }
  // A ResponseError is what a client of another plugin or the catalog
  // throws for that service's error answer: handed on as it is, the caller
  // gets the other service's complaint (its paths, its validation) as if
  // it were this operation's.
  const error = errorOf(exchange.json);
  if (status >= 400 && error.name === 'ResponseError') {
    problems.push({
      check: "passed on another service's error",
      signature: `passed on another service's error: ${status}`,
      detail: `answered ${status} with the ResponseError of a call to another service: ${
        error.message ?? ''
      }; its answer: ${JSON.stringify(
        (exchange.json as any)?.error?.body?.error?.message ?? null,
      )}`,
    });
  }
  if (invalidity !== undefined && status < 400) {
    problems.push({
      check: 'accepted an invalid request',
      signature: `accepted an invalid request: ${exchange.request.label}`,
      detail: `answered ${status} to a request the spec rejects (${invalidity})`,
    });
  }
  problems.push(...bodyProblems(op, exchange));
  return problems;
}

/** An answer to a request without a token, or with a bad one. */
export function checkUnauthenticated(
  op: Operation,
  exchange: Exchange,
): Problem[] {
  if (exchange.status === 401) return bodyProblems(op, exchange);
  return [
    {
      check: 'no 401 without a valid token',
      signature: `no 401 without a valid token: ${exchange.token} ${exchange.status}`,
      detail: `answered ${exchange.status ?? exchange.error} ${
        exchange.token === 'none' ? 'without a token' : 'to a bad token'
      }`,
    },
  ];
}

/**
 * A spec must say that its operations need a token, and how: a security
 * requirement on each (its own or the spec's) naming a scheme the spec
 * defines. One problem per spec, naming the operations that lack it.
 */
export function checkSecurityDeclared(operations: Operation[]): Problem[] {
  const lacking = operations.filter(
    op =>
      !op.security.requirements.length || op.security.undefinedSchemes.length,
  );
  if (!lacking.length) return [];
  const undefinedSchemes = [
    ...new Set(lacking.flatMap(op => op.security.undefinedSchemes)),
  ];
  return [
    {
      check: 'no security scheme in the spec',
      signature: 'no security scheme in the spec',
      detail: `${lacking[0].specFile}: ${
        lacking.length
      } of its operations declare no security requirement naming a scheme it defines (components.securitySchemes${
        undefinedSchemes.length
          ? ` lacks ${undefinedSchemes.join(', ')}`
          : ' and security are absent'
      }), though the server answers 401 without a token: ${lacking
        .map(op => op.operationId)
        .join(', ')}`,
    },
  ];
}
