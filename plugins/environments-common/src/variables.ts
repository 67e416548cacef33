import * as Models from './schema/openapi/generated/models';

/**
 * The rule a variable name follows: a POSIX environment variable name
 * (letters, digits and underscores, not starting with a digit).
 *
 * @public
 */
export const VARIABLE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The longest variable name accepted. @public */
export const VARIABLE_NAME_MAX_LENGTH = 128;

/** The longest variable value accepted, in characters. @public */
export const VARIABLE_VALUE_MAX_LENGTH = 32768;

/**
 * A variable of an environment, as the API returns it. Secrets come without
 * their value: once set, a secret cannot be read back through the API.
 *
 * @public
 */
export type EnvironmentVariable = Models.EnvironmentVariable;

/**
 * What a client sends to set a variable; a `secret` (default false) is
 * stored encrypted and never returned.
 *
 * @public
 */
export type EnvironmentVariableInput = Models.EnvironmentVariableInput;
