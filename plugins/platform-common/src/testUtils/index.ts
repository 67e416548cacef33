/**
 * Test helpers for the clients generated from the platform's OpenAPI specs
 * (Node.js only).
 *
 * @packageDocumentation
 */
export * from './recordingHttpServer';
export * from './clientOnTheWire';
