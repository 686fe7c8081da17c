export type { ErrorClass } from './error-brand';
export { brandErrorClass, hasErrorBrand } from './error-brand';
