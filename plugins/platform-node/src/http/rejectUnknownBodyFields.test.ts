import { InputError } from '@backstage/errors';
import { Request } from 'express';
import { rejectUnknownBodyFields } from './rejectUnknownBodyFields';

const spec = {
  paths: {
    '/things': {
      post: {
        requestBody: {
          content: {
            'application/json': {
              schema: { $ref: '#/components/schemas/New' },
            },
          },
        },
      },
    },
    '/things/current': { get: {} },
    '/things/{id}': {
      patch: {
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                properties: { colour: {} },
              },
            },
          },
        },
      },
    },
    '/things/{id}/notes': {
      post: {
        requestBody: {
          content: {
            'application/json': {
              schema: { type: 'object', properties: { text: {} } },
            },
          },
        },
      },
    },
  },
  components: {
    schemas: {
      New: {
        type: 'object',
        additionalProperties: false,
        properties: { name: {}, size: {} },
      },
    },
  },
};

/** What the middleware passes on for a request: an error, or nothing. */
function outcome(method: string, path: string, body: unknown) {
  const next = jest.fn();
  rejectUnknownBodyFields(spec)(
    { method, path, body } as Request,
    {} as any,
    next,
  );
  expect(next).toHaveBeenCalledTimes(1);
  return next.mock.calls[0][0] as Error | undefined;
}

describe('rejectUnknownBodyFields', () => {
  it('names the unknown fields and the known ones, through a $ref', () => {
    const error = outcome('POST', '/things', { name: 'a', colour: 'blue' });
    expect(error).toBeInstanceOf(InputError);
    expect(error?.message).toBe(
      "request/body has unknown field 'colour'; known fields are name, size",
    );
    expect(
      outcome('POST', '/things', { toString: 1, constructor: 2 })?.message,
    ).toBe(
      "request/body has unknown fields 'toString', 'constructor'; known fields are name, size",
    );
  });

  it('finds the operation of a path with parameters by its method', () => {
    // /things/current has no PATCH: the body is checked against /things/{id}.
    expect(
      outcome('PATCH', '/things/current', { colour: 'red', size: 2 })?.message,
    ).toBe("request/body has unknown field 'size'; known fields are colour");
    expect(outcome('PATCH', '/things/42', { colour: 'red' })).toBeUndefined();
  });

  it('passes known fields, open schemas, unknown routes and bodies that are not objects', () => {
    expect(outcome('POST', '/things', { name: 'a', size: 1 })).toBeUndefined();
    expect(
      outcome('POST', '/things/42/notes', { text: 'x', extra: 1 }),
    ).toBeUndefined();
    expect(outcome('POST', '/elsewhere', { anything: 1 })).toBeUndefined();
    expect(outcome('POST', '/things', [{ colour: 'blue' }])).toBeUndefined();
    expect(outcome('POST', '/things', undefined)).toBeUndefined();
  });
});
