import {
  ENVIRONMENT_CDEVENT_TYPES,
  isEnvironmentCDEvent,
  SERVICE_CDEVENT_TYPES,
  SERVICE_REMOVED_CDEVENT_TYPE,
} from './events';

const envelope = (type: unknown) => ({
  context: { version: '0.4.1', id: '1', source: '/x', type, timestamp: '' },
  subject: { id: 'dev', source: '/x', content: {} },
  customData: {},
});

describe('isEnvironmentCDEvent', () => {
  it.each(Object.values(ENVIRONMENT_CDEVENT_TYPES))('accepts %s', type => {
    expect(isEnvironmentCDEvent(envelope(type))).toBe(true);
  });

  it.each([
    ...Object.values(SERVICE_CDEVENT_TYPES),
    SERVICE_REMOVED_CDEVENT_TYPE,
  ])('tells the service event %s apart', type => {
    expect(isEnvironmentCDEvent(envelope(type))).toBe(false);
  });

  it.each([
    ['a later spec version', 'dev.cdevents.environment.created.0.3.0'],
    ['a prefix only', 'dev.cdevents.environment.'],
    ['a non-string type', 42],
  ])('refuses %s', (_, type) => {
    expect(isEnvironmentCDEvent(envelope(type))).toBe(false);
  });

  it.each([undefined, null, 'dev.cdevents.environment.created.0.2.0', {}])(
    'refuses the payload %p',
    payload => {
      expect(isEnvironmentCDEvent(payload)).toBe(false);
    },
  );
});
