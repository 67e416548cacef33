/**
 * The platform's permission policy: roles from catalog group membership and
 * ownership rules.
 *
 * @packageDocumentation
 */
export { permissionModulePlatformPolicy as default } from './module';
export { PlatformPermissionPolicy } from './PlatformPermissionPolicy';
export type { PlatformPermissionPolicyOptions } from './PlatformPermissionPolicy';
