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
export type EnvironmentVariable = {
  name: string;
  /** The value of a plain variable; absent for secrets. */
  value?: string;
  secret: boolean;
  updatedAt: string;
  updatedBy: string;
};

/** What a client sends to set a variable. @public */
export type EnvironmentVariableInput = {
  value: string;
  /** Stored encrypted and never returned; default false. */
  secret?: boolean;
};
