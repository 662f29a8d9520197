export * from './alias-options';
export * from './optimized-python-function';
export * from './monitoring-options';
