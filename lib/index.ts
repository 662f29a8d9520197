// Public API of cdk-python-coldstart. Each feature area lives in its own folder.
export * from './version';
