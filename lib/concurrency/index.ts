export * from './cold-start-strategy';
