// Vite bundles CSS imported from TypeScript; tsc only needs to know the import is valid.
declare module '*.css';
