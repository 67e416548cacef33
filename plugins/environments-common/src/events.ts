/**
 * The EventsService topic on which the environments backend publishes its
 * CDEvents (environment.created/modified/deleted, service.deployed/upgraded/
 * rolledback/removed), for other plugins to subscribe to.
 *
 * @public
 */
export const ENVIRONMENTS_TOPIC = 'environments';
